import * as path from 'path';

/** The repository root. */
export const ROOT = path.resolve(__dirname, '..', '..', '..');
/** Screenshots and logs of the e2e runs (git-ignored). */
export const RESULTS = path.join(ROOT, 'test-results', 'e2e');
