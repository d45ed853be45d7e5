/** Go adapter: not written yet (this placeholder finds nothing). */
import { goIdioms } from '../../catalog/idioms/go';
import type { GrammarName } from '../parser';
import type { LanguageAdapter, Site } from '../types';

export class GoAdapter implements LanguageAdapter {
  readonly language = 'go' as const;
  readonly idioms = goIdioms;
  readonly comment = { line: '//' };

  grammar(): GrammarName {
    return 'go';
  }

  findSites(): Site[] {
    return [];
  }
}
