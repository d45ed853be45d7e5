/**
 * Quick fixes as fixtures. Each file under test/fixes/<language>/ names the fix it exercises on its first
 * line (`// fix: agreement-type`, `# fix: retry`). The fix is applied to every finding that offers it, one at
 * a time with a fresh analysis in between (as a user would), and the result must equal `<name>.fixed.<ext>`
 * exactly. For every application: the finding it fixed is gone, the file has no new syntax errors, and at the
 * end no finding offers that fix any more (applying it again is not offered).
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { Engine } from '../../server/src/engine/engine';
import { applyEdits, FixKind, fixesFor, SourceText } from '../../server/src/engine/fixes';
import type { Finding, LanguageAdapter } from '../../server/src/engine/types';
import { syntaxErrors } from '../helpers/syntax';

const ROOT = path.join(__dirname, '..', 'fixes');

function cases(): string[] {
  const out: string[] = [];
  if (!fs.existsSync(ROOT)) return out;
  for (const lang of fs.readdirSync(ROOT)) {
    for (const f of fs.readdirSync(path.join(ROOT, lang))) {
      if (!/\.fixed\.[^.]+$/.test(f) && !f.endsWith('.md')) out.push(path.join(ROOT, lang, f));
    }
  }
  return out.sort();
}

function fixedName(file: string): string {
  const ext = path.extname(file);
  return file.slice(0, -ext.length) + '.fixed' + ext;
}

describe('quick fixes: fixtures and their .fixed files', () => {
  const engine = new Engine();
  for (const file of cases()) {
    const rel = path.relative(ROOT, file);
    it(rel, async () => {
      const input = fs.readFileSync(file, 'utf8');
      const m = /^\s*(?:\/\/|#|<#)\s*fix:\s*([a-z-]+)/.exec(input);
      assert.ok(m, `${rel}: the first line must name the fix (// fix: <kind>)`);
      const kind = m[1] as FixKind;
      const doc = (await engine.openDocument(file, undefined, input))!;
      const errorsBefore = (await syntaxErrors(input, file)).length;
      let applied = 0;
      try {
        for (let round = 0; round < 50; round++) {
          const { findings } = doc.analyze();
          const target = findings.find((f) => doc.fixes(f).some((x) => x.kind === kind));
          if (!target) break;
          const fix = doc.fixes(target).find((x) => x.kind === kind)!;
          const before = findings.filter((f) => f.rule === target.rule && f.operation === target.operation).length;
          const next = applyEdits(doc.text, fix.edits);
          assert.notStrictEqual(next, doc.text, `${rel}: the ${kind} fix changed nothing`);
          doc.applyChanges([{ text: next }]);
          applied++;
          const after = doc.analyze().findings.filter((f) => f.rule === target.rule && f.operation === target.operation).length;
          assert.ok(after < before, `${rel}: after the ${kind} fix, ${target.rule} ${target.operation} is still reported`);
          const errors = await syntaxErrors(doc.text, file);
          assert.ok(errors.length <= errorsBefore, `${rel}: the ${kind} fix introduced syntax errors: ${errors.join(', ')}\n${doc.text}`);
        }
        assert.ok(applied > 0, `${rel}: no finding offered the ${kind} fix`);
        const expectedFile = fixedName(file);
        if (process.env.UPDATE_FIXED && !fs.existsSync(expectedFile)) fs.writeFileSync(expectedFile, doc.text);
        assert.ok(fs.existsSync(expectedFile), `${rel}: missing ${path.basename(expectedFile)}`);
        assert.strictEqual(doc.text, fs.readFileSync(expectedFile, 'utf8'), `${rel}: result differs from ${path.basename(expectedFile)}`);
        // Applying again is not offered.
        const again = doc.analyze().findings.some((f) => doc.fixes(f).some((x) => x.kind === kind));
        assert.ok(!again, `${rel}: the ${kind} fix is still offered after being applied`);
      } finally {
        doc.dispose();
      }
    });
  }
});

describe('quick fixes: edits are sound before they are offered', () => {
  // Found by the long fuzz run: tree-sitter-python's comment token takes the \r of a CRLF line, so a helper
  // inserted "after the function" landed between \r and \n and left a bare \n in a CRLF file.
  const text = 'a = 1  # comment\r\nb = 2\r\n';
  const mid = text.indexOf('\r') + 1;
  const finding = { rule: 'pc-throttled-endpoint', operation: 'get-order', site: { kind: 'sdk', span: { start: 0, end: 1 }, call: { start: 0, end: 1 }, steps: [] }, span: { start: 0, end: 1 } } as unknown as Finding;
  const fixesWith = (edits: { span: { start: number; end: number }; newText: string }[]) => {
    const adapter = { language: 'python', comment: { line: '#' }, fixes: () => [{ kind: 'retry' as FixKind, title: 't', edits }] } as unknown as LanguageAdapter;
    return fixesFor(adapter, { text, tree: null, finding, source: new SourceText(text), lang: 'en', fileName: 'x.py' }).find((f) => f.kind === 'retry');
  };
  it('an insertion between \\r and \\n goes before the pair', () => {
    const out = applyEdits(text, fixesWith([{ span: { start: mid, end: mid }, newText: '\r\n\r\ndef helper():\r\n    pass' }])!.edits);
    assert.ok(!/(?<!\r)\n/.test(out), JSON.stringify(out));
    assert.strictEqual(out, 'a = 1  # comment\r\n\r\ndef helper():\r\n    pass\r\nb = 2\r\n');
  });
  it('a fix whose edits overlap or leave the document is not offered (a broken file can confuse an adapter)', () => {
    // Found by the long fuzz run: a mutated Go file where the retry fix wrapped the same call twice.
    assert.strictEqual(fixesWith([{ span: { start: 0, end: 5 }, newText: 'x' }, { span: { start: 0, end: 3 }, newText: 'y' }]), undefined);
    assert.strictEqual(fixesWith([{ span: { start: 0, end: text.length + 1 }, newText: 'x' }]), undefined);
    assert.ok(fixesWith([{ span: { start: 0, end: 0 }, newText: 'x' }, { span: { start: 0, end: 3 }, newText: 'y' }]));
  });
  it('a replacement that starts or ends inside a pair leaves both halves alone', () => {
    const out = applyEdits(text, fixesWith([{ span: { start: mid, end: text.indexOf('b = 2') + 5 }, newText: 'c = 3' }])!.edits);
    assert.strictEqual(out, 'a = 1  # comment\r\nc = 3\r\n');
  });
});
