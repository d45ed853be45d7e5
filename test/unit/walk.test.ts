/**
 * The name lookups adapters resolve names with (Walk): the one-pass search for a variable's spellings finds
 * exactly what a search per spelling finds, on random texts and on real PowerShell.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { bigFile } from '../../bench/corpus';
import { Walk } from '../../server/src/engine/adapters/base';
import { powershellIdioms } from '../../server/src/catalog/idioms/powershell';
import type { AnalysisInput } from '../../server/src/engine/types';

const PREFIXES = ['$', '@', '$script:', '$global:', '$using:'];

function walkOver(text: string): Walk {
  const input: AnalysisInput = { text, tree: null, anchors: [], idioms: powershellIdioms, extraRetryNames: [] };
  // The lookups read the text only; no tree is needed.
  return new Walk(input, null as never);
}

/** Each spelling looked up on its own, in a fresh walk (nothing memoised). */
function oneByOne(text: string, name: string, caseInsensitive: boolean): Map<string, number[]> {
  return new Map(PREFIXES.map((p) => [p, walkOver(text).occurrences(p + name, caseInsensitive)]));
}

describe('Walk: name lookups', () => {
  it('finds every spelling of a variable in one pass, as a search per spelling does (random texts)', () => {
    const piece = fc.constantFrom('$', '@', ':', '$script:', '$Script:', '$global:', 'a', 'A', 'ab', 'b', 'script', '_', ' ', '-', '.', '\n', '$$', '@@');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), fc.constantFrom('a', 'ab', 'b', 'script', 'A'), fc.boolean(), (pieces, name, ci) => {
        const text = pieces.join('');
        assert.deepStrictEqual(walkOver(text).occurrencesOfSpellings(name, PREFIXES, ci, () => 'any'), oneByOne(text, name, ci));
      }),
      { numRuns: 2000, seed: 20201125 },
    );
  });

  it('finds every spelling of every variable of the PowerShell fixtures and a large script', () => {
    const dir = path.join(__dirname, '..', 'fixtures', 'powershell');
    const texts = [...fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f), 'utf8')), bigFile('powershell', 2000, 7).text];
    let spellings = 0;
    for (const text of texts) {
      const names = new Set([...text.matchAll(/[$@](?:\w+:)?(\w+)/g)].map((m) => m[1]));
      for (const name of names) {
        const found = walkOver(text).occurrencesOfSpellings(name, PREFIXES, true, () => 'any');
        assert.deepStrictEqual(found, oneByOne(text, name, true), name);
        spellings += [...found.values()].reduce((n, l) => n + l.length, 0);
      }
    }
    assert.ok(spellings > 1000, `only ${spellings} occurrences`);
  });

  it('records each spelling as read, with its purpose, as a search per spelling does', () => {
    const text = '$a = 1; $script:a = 2; @a; $b';
    const span = { start: 0, end: 10 };
    const together = walkOver(text);
    together.occurrencesOfSpellings('a', PREFIXES, true, (p) => (p.includes(':') ? 'any' : span));
    const apart = walkOver(text);
    for (const p of PREFIXES) apart.occurrences(p + 'a', true, p.includes(':') ? 'any' : span);
    assert.deepStrictEqual(together.namesRead().sort(), apart.namesRead().sort());
    assert.strictEqual(together.namesRead().length, PREFIXES.length);
  });
});
