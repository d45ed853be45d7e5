/**
 * The properties every analysed document must satisfy, shared by the short fuzz test (npx mocha) and the
 * long run (npm run fuzz).
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { Engine } from '../../server/src/engine/engine';
import { applyEdits } from '../../server/src/engine/fixes';
import { lineStarts } from './documents';

export const TIME_LIMIT_MS = 1000;

/** Keeps the last failing document under test-results/ (git-ignored), to reproduce it outside the fuzzer. */
export async function checkDocument(engine: Engine, file: string, text: string): Promise<void> {
  try {
    await check(engine, file, text);
  } catch (e) {
    const dir = path.join(__dirname, '..', '..', 'test-results');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `fuzz-failure${path.extname(file)}`), text);
    throw e;
  }
}

async function check(engine: Engine, file: string, text: string): Promise<void> {
  // Load the grammar first: its one-time loading (WebAssembly compilation) is not the analysis being timed.
  (await engine.openDocument(file, undefined, ''))?.dispose();
  const t0 = performance.now();
  const doc = await engine.openDocument(file, undefined, text);
  assert.ok(doc, `no adapter for ${file}`);
  try {
    const result = doc.analyze();
    const elapsed = performance.now() - t0;
    assert.ok(elapsed < TIME_LIMIT_MS, `analysis took ${elapsed.toFixed(0)} ms`);
    const starts = lineStarts(text);
    for (const f of result.findings) {
      assert.ok(f.span.start >= 0 && f.span.start <= f.span.end && f.span.end <= text.length, `span ${JSON.stringify(f.span)} outside the document`);
      for (const [pos, offset] of [[f.range.start, f.span.start], [f.range.end, f.span.end]] as const) {
        assert.ok(pos.line >= 0 && pos.line < starts.length, `line ${pos.line} outside the document`);
        const lineEnd = pos.line + 1 < starts.length ? starts[pos.line + 1] : text.length;
        assert.ok(pos.character >= 0 && starts[pos.line] + pos.character <= lineEnd, `character ${pos.character} outside line ${pos.line}`);
        assert.strictEqual(starts[pos.line] + pos.character, offset, 'position and offset disagree');
      }
      // Every fix applies cleanly inside the document and keeps the file's line endings.
      for (const fix of doc.fixes(f)) {
        for (const e of fix.edits) assert.ok(e.span.start >= 0 && e.span.start <= e.span.end && e.span.end <= text.length, `${fix.kind} edit outside the document`);
        const next = applyEdits(text, fix.edits);
        if (!/\r/.test(text) && fix.edits.length) assert.ok(!/\r/.test(next), `${fix.kind} brought \\r into a \\n file`);
        if (/\r\n/.test(text) && !/(?<!\r)\n/.test(text)) assert.ok(!/(?<!\r)\n/.test(next), `${fix.kind} brought bare \\n into a \\r\\n file`);
      }
    }
  } finally {
    doc.dispose();
  }
}

/** fast-check reporter that names the file, the seed and the error, not a megabyte of document text. */
export function compactReport(details: { failed: boolean; seed: number; counterexamplePath: string | null; counterexample: unknown; errorInstance: unknown }): void {
  if (!details.failed) return;
  const ce = (details.counterexample as [{ file: string; text: string }] | null)?.[0];
  const err = (details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)).slice(0, 600);
  throw new Error(
    `fuzz failure (seed ${details.seed}, path ${details.counterexamplePath}) on a mutation of ${ce?.file} (${ce?.text.length} chars, kept in test-results/): ${err}`,
  );
}
