/**
 * The properties every analysed document must satisfy, shared by the short fuzz test (npx mocha) and the
 * long run (npm run fuzz).
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { Engine, EngineDocument, LineIndex } from '../../server/src/engine/engine';
import type { AnalysisResult } from '../../server/src/engine/types';
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
    await checkIncremental(engine, file, doc, result);
  } finally {
    doc.dispose();
  }
}

/** What a client can see of an analysis (findings without their sites, every recognised site in full). */
function observable(r: AnalysisResult): string {
  return JSON.stringify({ findings: r.findings.map((f) => ({ ...f, site: undefined })), recognitions: r.recognitions, skipped: r.skipped });
}

/**
 * Analyses an edited document (reusing what it can) and checks the result against the whole analysis of the same
 * tree (a second `analyze()` without edits in between reuses nothing) and, for text without syntax errors, against
 * a fresh document (for broken text tree-sitter's error recovery may build another tree when it re-parses
 * incrementally). Partial analyses (out of time) depend on the machine's speed and are not compared. Returns
 * how many groups the incremental analysis reused.
 */
export async function checkAfterEdit(engine: Engine, file: string, doc: EngineDocument, what = 'incremental analysis'): Promise<number> {
  const incremental = doc.analyze();
  const reused = doc.lastReused;
  const whole = doc.analyze();
  if (incremental.skipped || whole.skipped) return reused;
  const got = observable(incremental);
  assert.strictEqual(got, observable(whole), `${what}: differs from the whole analysis of the same tree`);
  if (doc.syntaxTree()?.rootNode.hasError) return reused;
  const fresh = await engine.openDocument(file, undefined, doc.text);
  try {
    assert.strictEqual(got, observable(fresh!.analyze()), `${what}: differs from the analysis of a fresh document`);
  } finally {
    fresh?.dispose();
  }
  return reused;
}

/** Typing into the open document: a character at a third of it, then at two thirds, then deleting them. */
async function checkIncremental(engine: Engine, file: string, doc: EngineDocument, first: AnalysisResult): Promise<void> {
  if (first.skipped) return;
  const original = doc.text;
  const edits: [number, number, string][] = [
    [Math.floor(original.length / 3), 0, 'x'],
    [Math.floor((2 * original.length) / 3) + 1, 0, '"'],
    [Math.floor((2 * original.length) / 3) + 1, 1, ''],
    [Math.floor(original.length / 3), 1, ''],
  ];
  for (const [at, remove, insert] of edits) {
    const lines = new LineIndex(doc.text);
    doc.applyChanges([{ range: { start: lines.positionAt(at), end: lines.positionAt(at + remove) }, text: insert }]);
    await checkAfterEdit(engine, file, doc);
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
