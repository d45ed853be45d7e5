/** CSharp adapter: not written yet (this placeholder finds nothing). */
import { csharpIdioms } from '../../catalog/idioms/csharp';
import type { GrammarName } from '../parser';
import type { LanguageAdapter, Site } from '../types';

export class CSharpAdapter implements LanguageAdapter {
  readonly language = 'csharp' as const;
  readonly idioms = csharpIdioms;
  readonly comment = { line: '//' };

  grammar(): GrammarName {
    return 'c-sharp';
  }

  findSites(): Site[] {
    return [];
  }
}
