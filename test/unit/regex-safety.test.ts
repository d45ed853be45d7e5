/**
 * No catastrophic regexes: every regular expression literal in the server's sources (engine, adapters,
 * catalog, LSP, CLI) and the prefilter's generated expression are checked with recheck, a ReDoS checker
 * (automaton analysis plus attack strings): each must be linear ("safe").
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { checkSync } from 'recheck';
import { parserFor } from '../../server/src/engine/parser';
import { ANCHOR_PATTERN } from '../../server/src/engine/prefilter';

const SRC = path.join(__dirname, '..', '..', 'server', 'src');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

interface Literal {
  where: string;
  pattern: string;
  flags: string;
}

async function literals(): Promise<Literal[]> {
  const parser = await parserFor('typescript');
  const out: Literal[] = [];
  for (const file of sources(SRC)) {
    const text = fs.readFileSync(file, 'utf8');
    const tree = parser.parse(text)!;
    for (const n of tree.rootNode.descendantsOfType('regex')) {
      if (!n) continue;
      const pattern = n.childForFieldName('pattern')?.text ?? '';
      const flags = n.childForFieldName('flags')?.text ?? '';
      out.push({ where: `${path.relative(SRC, file)}:${n.startPosition.row + 1}`, pattern, flags });
    }
    tree.delete();
  }
  return out;
}

describe('regex safety (recheck)', function () {
  this.timeout(120_000);
  it('every regex literal of the server is linear', async () => {
    const found = await literals();
    assert.ok(found.length > 20, 'the sources should have regex literals to check');
    const unsafe = found
      .map((l) => ({ l, r: checkSync(l.pattern, l.flags.replace(/[^dgimsuy]/g, ''), { timeout: 10_000 }) }))
      .filter(({ r }) => r.status !== 'safe')
      .map(({ l, r }) => `${l.where} /${l.pattern}/${l.flags}: ${r.status}${r.status === 'vulnerable' ? ` (${r.complexity.type}, attack ${JSON.stringify(r.attack.pattern)})` : ''}`);
    assert.deepStrictEqual(unsafe, []);
  });

  it('the prefilter expression built from the catalog is linear', () => {
    const r = checkSync(ANCHOR_PATTERN.source, ANCHOR_PATTERN.flags);
    assert.strictEqual(r.status, 'safe');
  });
});
