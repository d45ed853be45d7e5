/** Java adapter: not written yet (this placeholder finds nothing). */
import { javaIdioms } from '../../catalog/idioms/java';
import type { GrammarName } from '../parser';
import type { LanguageAdapter, Site } from '../types';

export class JavaAdapter implements LanguageAdapter {
  readonly language = 'java' as const;
  readonly idioms = javaIdioms;
  readonly comment = { line: '//' };

  grammar(): GrammarName {
    return 'java';
  }

  findSites(): Site[] {
    return [];
  }
}
