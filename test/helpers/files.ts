/** Files for tests that scan folders. */
import * as fs from 'fs';
import * as path from 'path';

/** Writes `text` to `rel` under `root`, creating the folders on the way; returns the file's path. */
export function write(root: string, rel: string, text: string | Buffer = ''): string {
  const p = path.join(root, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
  return p;
}
