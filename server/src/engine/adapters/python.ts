/** Python adapter: not written yet (this placeholder finds nothing). */
import { pythonIdioms } from '../../catalog/idioms/python';
import type { GrammarName } from '../parser';
import type { LanguageAdapter, Site } from '../types';

export class PythonAdapter implements LanguageAdapter {
  readonly language = 'python' as const;
  readonly idioms = pythonIdioms;
  readonly comment = { line: '//' };

  grammar(): GrammarName {
    return 'python';
  }

  findSites(): Site[] {
    return [];
  }
}
