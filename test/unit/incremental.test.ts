/**
 * Incremental analysis: an open document re-analysed after edits reuses the sites of functions the edit cannot
 * have changed (TreeAdapter.analyzeSites). Its result must be exactly the whole analysis of the same tree, whatever
 * the edits, and, when the text has no syntax error, the analysis of the same text from scratch (tree-sitter's
 * error recovery may build a different tree for broken text when it re-parses incrementally). Reuse must actually
 * happen, or this would test nothing.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { LANGUAGES, bigFile } from '../../bench/corpus';
import { Engine, EngineDocument, LineIndex } from '../../server/src/engine/engine';
import { seeds } from '../fuzz/documents';
import { checkAfterEdit } from '../fuzz/properties';

interface Edit {
  at: number;
  remove: number;
  insert: string;
}

/** Applies an edit the way an editor sends it (a range in line/character positions). */
function apply(doc: EngineDocument, e: Edit): void {
  const lines = new LineIndex(doc.text);
  const at = Math.min(e.at, doc.text.length);
  const end = Math.min(at + e.remove, doc.text.length);
  doc.applyChanges([{ range: { start: lines.positionAt(at), end: lines.positionAt(end) }, text: e.insert }]);
}

const PIECES = ['x', ' ', '\n', '"', "'", '`', '{', '}', '(', ')', ';', '=', '/', 'url', 'customers', '429', 'for (', 'while ', '$', '#', '//', 'def ', 'func ', 'retry', 'return ', '\n###\n', '\n@base = https://example.com\n', '{{base}}', '\r\n'];

const edit: fc.Arbitrary<Edit> = fc.record({
  at: fc.nat(),
  remove: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 12 })),
  insert: fc.oneof(fc.constantFrom(...PIECES), fc.constant('')),
});

describe('incremental analysis', function () {
  this.timeout(300_000);
  const engine = new Engine();

  it('gives exactly the whole analysis after random edits of every fixture, one analysis per batch of edits', async () => {
    const all = seeds().filter((s) => engine.adapterFor(s.file));
    let reused = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...all), fc.array(fc.array(edit, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 6 }), async (seed, batches) => {
        const doc = (await engine.openDocument(seed.file, undefined, seed.text))!;
        try {
          // As in the editor: the quick fixes of the findings are asked for between edits.
          for (const f of doc.analyze().findings) doc.fixes(f);
          for (const batch of batches) {
            for (const e of batch) apply(doc, { ...e, at: e.at % (doc.text.length + 1) });
            reused += await checkAfterEdit(engine, seed.file, doc, `${seed.file} after edits`);
          }
        } finally {
          doc.dispose();
        }
      }),
      { numRuns: Number(process.env.INCREMENTAL_RUNS ?? 150), seed: Number(process.env.FUZZ_SEED ?? 20261125), endOnFailure: true },
    );
    assert.ok(reused > 0, 'no group of sites was ever reused');
  });

  for (const language of LANGUAGES) {
    it(`${language}: typing in a large file reuses the other functions' sites and finds what a fresh analysis finds`, async () => {
      const big = bigFile(language, 1000, 20261125);
      const doc = (await engine.openDocument(big.fileName, undefined, big.text))!;
      try {
        doc.analyze();
        let reused = 0;
        // Typing a word inside a URL, then in unrelated code, then deleting both, one analysis per keystroke.
        const word = 'ab1';
        for (const offset of [big.urlOffset, big.codeOffset]) {
          for (let i = 0; i < word.length; i++) {
            apply(doc, { at: offset + i, remove: 0, insert: word[i] });
            reused += await checkAfterEdit(engine, big.fileName, doc, `typing at ${offset + i}`);
          }
          for (let i = word.length - 1; i >= 0; i--) {
            apply(doc, { at: offset + i, remove: 1, insert: '' });
            reused += await checkAfterEdit(engine, big.fileName, doc, `deleting at ${offset + i}`);
          }
        }
        assert.strictEqual(doc.text, big.text);
        assert.ok(reused > 0, 'typing never reused a group');
      } finally {
        doc.dispose();
      }
    });
  }

  it('re-analyses everything when error recovery makes the edited function swallow its neighbours', async () => {
    // Found by the long fuzz run: a quote typed into a Feign method's annotation opens a string that takes the
    // next interface's @HttpExchange annotation with it, so that interface's remaining methods belong to the Feign
    // interface in the new tree, without their path prefix. Tree-sitter's changed ranges stay inside the edited
    // method; only the method's extent in the previous tree shows that it took its neighbours.
    const file = path.join(__dirname, '..', 'fixtures', 'java', 'rest-declarative.java');
    const text = fs.readFileSync(file, 'utf8');
    const doc = (await engine.openDocument(file, undefined, text))!;
    try {
      doc.analyze();
      const at = text.indexOf('Method.GET, value = "/customers/{c}/subscriptions/{s}/registrationstatus"');
      assert.ok(at > 0, 'the fixture changed');
      apply(doc, { at, remove: 0, insert: '"' });
      assert.strictEqual(await checkAfterEdit(engine, file, doc, 'a quote in an annotation'), 0);
    } finally {
      doc.dispose();
    }
  });

  it('re-analyses what an edit can change: a helper edited in one function changes the call in another', async () => {
    const text = [
      'function urlFor(id: string) {',
      '  return `https://api.partnercenter.microsoft.com/v1/customers/${id}/subscriptions`;',
      '}',
      'async function list(ids: string[]) {',
      '  for (const id of ids) {',
      '    await fetch(urlFor(id));',
      '  }',
      '}',
      'async function one(id: string) {',
      "  await fetch(`https://api.partnercenter.microsoft.com/v1/customers/${id}/orders`);",
      '}',
      'function other() {',
      "  const base = 'https://example.com/v1';",
      '  return base;',
      '}',
      '',
    ].join('\n');
    const doc = (await engine.openDocument('a.ts', undefined, text))!;
    try {
      const rules = () => doc.analyze().findings.map((f) => f.rule).sort();
      assert.deepStrictEqual(rules(), ['pc-throttled-endpoint', 'pc-throttled-in-loop']);
      // An edit in a function no group reads: everything is reused.
      apply(doc, { at: doc.text.indexOf('example.com'), remove: 0, insert: 'x' });
      assert.strictEqual(await checkAfterEdit(engine, 'a.ts', doc, 'an unrelated function'), 2);
      // The helper's host changes: its group is analysed again and the call in the loop is no longer flagged.
      apply(doc, { at: doc.text.indexOf('partnercenter'), remove: 'partnercenter'.length, insert: 'example' });
      assert.strictEqual(await checkAfterEdit(engine, 'a.ts', doc, 'the helper'), 1);
      assert.deepStrictEqual(rules(), ['pc-throttled-endpoint']);
    } finally {
      doc.dispose();
    }
  });
});
