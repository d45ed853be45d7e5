/** PowerShell adapter: not written yet (this placeholder finds nothing). */
import { powershellIdioms } from '../../catalog/idioms/powershell';
import type { GrammarName } from '../parser';
import type { LanguageAdapter, Site } from '../types';

export class PowerShellAdapter implements LanguageAdapter {
  readonly language = 'powershell' as const;
  readonly idioms = powershellIdioms;
  readonly comment = { line: '//' };

  grammar(): GrammarName {
    return 'powershell';
  }

  findSites(): Site[] {
    return [];
  }
}
