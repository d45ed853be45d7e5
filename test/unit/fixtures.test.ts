/**
 * Specs as fixtures: every file under test/fixtures/<language>/ is analysed by the engine and its findings
 * must be exactly the ones its annotations expect (see test/helpers/annotations.ts).
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { Engine } from '../../server/src/engine/engine';
import { parseAnnotations } from '../helpers/annotations';

const FIXTURES = path.join(__dirname, '..', 'fixtures');

function fixtureFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (!/\.fixed\.[^.]+$/.test(e.name) && !e.name.endsWith('.md')) out.push(p);
    }
  };
  walk(FIXTURES);
  return out.sort();
}

describe('fixtures: findings match the inline annotations', () => {
  const engine = new Engine({ extraHosts: ['pc-proxy.contoso.example'], retryHelpers: ['callWithCompanyRetry'] });
  for (const file of fixtureFiles()) {
    const rel = path.relative(FIXTURES, file);
    it(rel, async () => {
      const text = fs.readFileSync(file, 'utf8');
      const lines = text.split(/\r\n|\r|\n/);
      const annotations = parseAnnotations(text);
      const result = await engine.analyzeText(text, file);
      const actual = result.findings.map((f) => `${f.range.start.line + 1}: ${f.rule} ${f.operation}`);
      const expected = annotations
        .filter((a) => a.kind === 'ruleid')
        .map((a) => `${a.line + 1}: ${a.rule} ${a.operation ?? '?'}`);
      const show = (entries: string[]) =>
        entries.map((e) => `${e}    | ${lines[Number(e.split(':')[0]) - 1]?.trim()}`).join('\n');
      const missing = expected.filter((e) => !actual.includes(e));
      const unexpected = actual.filter((e) => !expected.includes(e));
      assert.ok(
        missing.length === 0 && unexpected.length === 0,
        `${rel}\n  missing (false negatives):\n${show(missing)}\n  unexpected (false positives):\n${show(unexpected)}`,
      );
      // `ok:` lines are checked by the exact comparison above; make sure they target real code.
      for (const a of annotations) assert.ok(a.line < lines.length, `${rel}:${a.at + 1} annotation targets no line`);
      assert.ok(annotations.some((a) => a.kind === 'ruleid') || annotations.some((a) => a.kind === 'ok'), `${rel} has no annotations`);
    });
  }
});
