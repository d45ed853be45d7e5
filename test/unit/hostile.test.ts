/**
 * Hostile files: each is analysed within the engine's time bounds or skipped with exactly one message that
 * says why, and nothing throws. (The language server's side — staying responsive meanwhile — is tested in
 * the LSP tests.)
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { Engine } from '../../server/src/engine/engine';
import { tooDeep } from '../../server/src/engine/parser';
import type { Tree } from 'web-tree-sitter';

const PC_CALL = "fetch(`https://api.partnercenter.microsoft.com/v1/customers/${id}/subscriptions`);\n";

interface Case {
  name: string;
  file: string;
  make: () => string;
  /** 'skipped': must be skipped with a reason; 'analysed': must be analysed (findings may be empty). */
  expect: 'skipped' | 'analysed' | 'either';
}

const CASES: Case[] = [
  { name: 'a 10 MB single-line minified file', file: 'bundle.min.js', make: () => (PC_CALL.trim() + 'var a=1;').repeat(Math.ceil(10_000_000 / 90)), expect: 'skipped' },
  { name: '1 MB of nested brackets', file: 'deep.ts', make: () => PC_CALL + '['.repeat(500_000) + ']'.repeat(500_000), expect: 'either' },
  { name: 'a binary file with a source extension', file: 'image.cs', make: () => '\u0089PNG\r\n\u001a\n\u0000\u0000\u0000\rIHDR' + String.fromCharCode(...Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)) + 'customers', expect: 'skipped' },
  { name: 'invalid UTF-8 (decoded with replacement characters)', file: 'latin1.py', make: () => Buffer.from([0x63, 0x75, 0x73, 0x74, 0x6f, 0x6d, 0x65, 0x72, 0xe9, 0xff, 0xfe, 0x0a, 0x78, 0x20, 0x3d, 0x20, 0x31, 0x0a]).toString('utf8').repeat(50), expect: 'skipped' },
  { name: 'a 200,000-line file', file: 'generated.ts', make: () => PC_CALL + 'export const x = 1;\n'.repeat(200_000), expect: 'either' },
  { name: 'an empty file', file: 'empty.go', make: () => '', expect: 'analysed' },
  { name: 'a file of one line break', file: 'blank.ps1', make: () => '\n', expect: 'analysed' },
];

describe('hostile files', function () {
  this.timeout(60_000);
  const engine = new Engine();
  for (const c of CASES) {
    it(`${c.name}: analysed within 2 s or skipped with one reason`, async () => {
      const text = c.make();
      const t0 = performance.now();
      const doc = (await engine.openDocument(c.file, undefined, text))!;
      try {
        const result = doc.analyze();
        const elapsed = performance.now() - t0;
        assert.ok(elapsed < 2000, `took ${elapsed.toFixed(0)} ms`);
        if (c.expect === 'skipped') assert.ok(result.skipped, 'expected a skip reason');
        if (c.expect === 'analysed') assert.strictEqual(result.skipped, undefined);
        if (result.skipped) {
          assert.match(result.skipped, /Partner Center Advisor/);
          assert.strictEqual(typeof result.skipped, 'string');
        }
        // A re-analysis after an edit does not fail either.
        doc.applyChanges([{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: ' ' }]);
        doc.analyze();
      } finally {
        doc.dispose();
      }
    });
  }

  it('a broken file whose error recovery nests 1,000 levels deep is skipped, and later files still parse', async () => {
    // A fuzzed mutation of a fixture (kept as found): walking up its tree overflowed the runtime's C stack, which
    // broke every later parse in the process ("memory access out of bounds").
    const deep = fs.readFileSync(path.join(__dirname, '..', 'hostile', 'deep-error-recovery.ts.txt'), 'utf8');
    const fresh = new Engine();
    const doc = (await fresh.openDocument('deep.ts', undefined, deep))!;
    try {
      assert.match(doc.analyze().skipped ?? '', /nest too deeply/);
    } finally {
      doc.dispose();
    }
    assert.match((await fresh.analyzeText(deep, 'deep.ts')).skipped ?? '', /nest too deeply/);
    const after = await fresh.analyzeText(PC_CALL, 'after.ts');
    assert.deepStrictEqual(after.findings.map((f) => f.rule), ['pc-throttled-endpoint']);
  });

  it('the depth check agrees with the depth of every broken tree, at every limit', async () => {
    // The deepest node, found by visiting every node of the tree.
    const maxDepth = (tree: Tree): number => {
      const c = tree.walk();
      let max = 0;
      try {
        for (;;) {
          max = Math.max(max, c.currentDepth);
          if (c.gotoFirstChild()) continue;
          while (!c.gotoNextSibling()) if (!c.gotoParent()) return max;
        }
      } finally {
        c.delete();
      }
    };
    const fixtures = path.join(__dirname, '..', 'fixtures');
    const texts: [string, string][] = [['deep.ts', fs.readFileSync(path.join(__dirname, '..', 'hostile', 'deep-error-recovery.ts.txt'), 'utf8')]];
    for (const dir of fs.readdirSync(fixtures)) {
      for (const f of fs.readdirSync(path.join(fixtures, dir)).filter((n) => !n.endsWith('.fixed') && !n.endsWith('.http') && !n.endsWith('.rest'))) {
        const text = fs.readFileSync(path.join(fixtures, dir, f), 'utf8');
        // Broken in two ways: an unclosed bracket in the middle, a stray one near the end.
        const mid = text.indexOf('\n', text.length >> 1);
        texts.push([f, text.slice(0, mid) + '(((' + text.slice(mid, -40) + ')' + text.slice(-40)]);
      }
    }
    let checked = 0;
    for (const [name, text] of texts) {
      const doc = (await engine.openDocument(name, undefined, text))!;
      try {
        const tree = doc.syntaxTree()!;
        if (!tree.rootNode.hasError) continue;
        const depth = maxDepth(tree);
        for (const limit of [1, 2, 3, depth - 1, depth, depth + 1, depth + 50, 256]) {
          if (limit < 1) continue;
          assert.strictEqual(tooDeep(tree, limit), depth >= limit, `${name}: deepest node at ${depth}, limit ${limit}`);
        }
        checked++;
      } finally {
        doc.dispose();
      }
    }
    assert.ok(checked >= 20, `only ${checked} broken trees`);
  });

  it('the size limit is configurable', async () => {
    const small = new Engine({ maxFileSize: 100 });
    const result = await small.analyzeText(PC_CALL.repeat(10), 'x.ts');
    assert.match(result.skipped ?? '', /larger than/);
    const fr = new Engine({ maxFileSize: 100, locale: 'fr' });
    assert.match((await fr.analyzeText(PC_CALL.repeat(10), 'x.ts')).skipped ?? '', /dépasse/);
  });
});
