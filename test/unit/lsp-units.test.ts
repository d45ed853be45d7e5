/**
 * The language server's building blocks in process: settings validation, findings as diagnostics (and
 * back, for code actions), the innermost recognition for hovers, open documents under incremental edits.
 */
import * as assert from 'assert';
import { Engine, LineIndex } from '../../server/src/engine/engine';
import { applyEdits, type Fix } from '../../server/src/engine/fixes';
import { fixTextEdits, minimalEdit } from '../../server/src/lsp/codeActions';
import { findingOf, skippedDiagnostic, toDiagnostic, toDiagnostics } from '../../server/src/lsp/diagnostics';
import { engineLanguageId, OpenDocument } from '../../server/src/lsp/documents';
import { recognitionAt } from '../../server/src/lsp/hover';
import { DEFAULT_SETTINGS, DIAGNOSTIC_SOURCE } from '../../server/src/lsp/protocol';
import { engineOptions, validateSettings } from '../../server/src/lsp/settings';
import { uriToFileName, uriToPath } from '../../server/src/lsp/uri';
import { applyTextEdits } from '../helpers/workspace-edit';

const TS = [
  "import axios from 'axios';",
  "const API = 'https://api.partnercenter.microsoft.com/v1';",
  'export async function bump(c: string, s: string) {',
  '  return axios.patch(`${API}/customers/${c}/subscriptions/${s}`, (await axios.get(`${API}/customers/${c}/subscriptions/${s}`)).data);',
  '}',
  '',
].join('\n');

describe('lsp: settings validation', () => {
  it('gives the defaults for missing settings, without complaint', () => {
    for (const raw of [undefined, null, {}]) assert.deepStrictEqual(validateSettings(raw), { settings: DEFAULT_SETTINGS, problems: [] });
  });

  it('keeps valid values and ignores keys it does not know (trace.server)', () => {
    const { settings, problems } = validateSettings({
      enable: false,
      rules: { 'pc-throttled-endpoint': 'Error', 'pc-throttled-in-loop': 'off' },
      extraHosts: [' pc-proxy.contoso.example '],
      retryHelpers: ['withRetry'],
      exclude: ['generated/**'],
      maxFileSize: 0.5,
      trace: { server: 'verbose' },
    });
    assert.deepStrictEqual(problems, []);
    assert.deepStrictEqual(settings, {
      enable: false,
      rules: { 'pc-throttled-endpoint': 'error', 'pc-throttled-in-loop': 'off' },
      extraHosts: ['pc-proxy.contoso.example'],
      retryHelpers: ['withRetry'],
      exclude: ['generated/**'],
      maxFileSize: 0.5,
    });
    assert.strictEqual(engineOptions(settings, 'fr').maxFileSize, 512 * 1024);
  });

  it('replaces each wrong value by its default with one message naming the setting', () => {
    const { settings, problems } = validateSettings({
      enable: 'yes',
      rules: { 'pc-throttled-endpoint': 'fatal', 'pc-unknown': 'error', 'pc-missing-agreement-type': 3 },
      extraHosts: 'pc.example',
      retryHelpers: ['ok', 42],
      exclude: { a: 1 },
      maxFileSize: -1,
    });
    assert.deepStrictEqual(settings, { ...DEFAULT_SETTINGS, retryHelpers: ['ok'] });
    const named = (name: string) => problems.filter((p) => p.includes(`pcAdvisor.${name}`));
    for (const name of ['enable', 'rules.pc-throttled-endpoint', 'rules.pc-unknown', 'rules.pc-missing-agreement-type', 'extraHosts', 'retryHelpers[1]', 'exclude', 'maxFileSize']) {
      assert.strictEqual(named(name).length, 1, `${name}: ${JSON.stringify(problems)}`);
    }
    assert.strictEqual(problems.length, 8);
    assert.match(named('rules.pc-throttled-endpoint')[0], /"fatal" is not a severity \(error, warning, information, hint, off\)/);
    assert.match(named('maxFileSize')[0], /-1 is not a positive number of megabytes; using the default \(4\)/);
  });

  it('rejects a section that is not an object', () => {
    const { settings, problems } = validateSettings('on');
    assert.deepStrictEqual(settings, DEFAULT_SETTINGS);
    assert.strictEqual(problems.length, 1);
  });
});

describe('lsp: diagnostics, hovers, documents', () => {
  const engine = new Engine();

  it('turns findings into diagnostics and finds them back', async () => {
    const result = await engine.analyzeText(TS, 'a.ts');
    assert.strictEqual(result.findings.length, 2);
    const diags = toDiagnostics(result);
    assert.deepStrictEqual(diags[0], {
      range: result.findings[0].range,
      severity: 2,
      code: result.findings[0].rule,
      codeDescription: { href: result.findings[0].docUrl },
      source: DIAGNOSTIC_SOURCE,
      message: result.findings[0].message,
      data: { rule: result.findings[0].rule, operation: result.findings[0].operation },
    });
    assert.strictEqual(findingOf(result, diags[1]), result.findings[1]);
    assert.strictEqual(findingOf(result, { ...diags[1], range: diags[0].range }), undefined, 'a moved diagnostic is stale');
    assert.strictEqual(findingOf(result, { ...diags[1], source: 'eslint' }), undefined);
    assert.strictEqual(findingOf(result, skippedDiagnostic('why')), undefined);
    assert.deepStrictEqual(
      toDiagnostics({ ...result, skipped: 'partial' }).map((d) => d.severity),
      [3, 2, 2],
      'a partial analysis says so once, first',
    );
    assert.strictEqual(toDiagnostic({ ...result.findings[0], severity: 'hint' }).severity, 4);
  });

  it('picks the innermost recognised call at a position', async () => {
    const result = await engine.analyzeText(TS, 'a.ts');
    const outer = TS.indexOf('axios.patch');
    const inner = TS.indexOf('axios.get');
    assert.strictEqual(recognitionAt(result, outer + 2)?.operation, 'update-subscription');
    assert.strictEqual(recognitionAt(result, inner + 2)?.operation, 'get-subscription');
    assert.strictEqual(recognitionAt(result, TS.indexOf('import')), undefined);
  });

  it('keeps the engine document in step with incremental edits, including edits made while opening', async () => {
    const doc = new OpenDocument('file:///w/a.ts', 'typescript', 1, TS, (e) => assert.fail(String(e)));
    // Edited before the grammar is loaded: the engine document catches up when it opens.
    assert.ok(doc.applyChanges([{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '// header\n' }], 2));
    await doc.ready;
    assert.strictEqual(doc.engineDocument!.text, doc.text);
    const line = 4; // the axios line, after the header
    const at = doc.text.split('\n')[line].indexOf('/subscriptions/${s}`,');
    assert.ok(doc.applyChanges([{ range: { start: { line, character: at }, end: { line, character: at + '/subscriptions/${s}'.length } }, text: '/profile' }], 3));
    assert.strictEqual(doc.engineDocument!.text, doc.text);
    assert.strictEqual(doc.version, 3);
    const result = doc.currentResult(DEFAULT_SETTINGS)!;
    assert.deepStrictEqual(result.findings.map((f) => f.operation), ['get-subscription']);
    assert.deepStrictEqual(doc.rangeOf(result.findings[0].span), result.findings[0].range);
    doc.dispose();
  });

  it('maps language ids and URIs for the engine', () => {
    assert.strictEqual(engineLanguageId('typescript'), 'typescript');
    assert.strictEqual(engineLanguageId('cs'), 'cs');
    assert.strictEqual(engineLanguageId('plaintext'), undefined);
    assert.strictEqual(uriToPath('file:///w/a%20b.ts'), '/w/a b.ts');
    assert.strictEqual(uriToPath('untitled:Untitled-1'), undefined);
    assert.strictEqual(uriToFileName('untitled:Untitled-1'), 'Untitled-1');
  });
});

describe('lsp: code action edits', () => {
  const apply = (text: string, e: { start: number; end: number; newText: string }) => text.slice(0, e.start) + e.newText + text.slice(e.end);

  it('minimalEdit keeps the common prefix and suffix, and never splits a surrogate pair or a CRLF', () => {
    const cases: Array<[string, string]> = [
      ['abc', 'abc'],
      ['fetch(`/agreements`)', 'fetch(`/agreements?agreementType=MicrosoftCustomerAgreement`)'],
      ['a\uD83D\uDE00b', 'a\uD83D\uDE01b'], // same high surrogate, different low one
      ['a\uD83D\uDE00b', 'a\uD83C\uDE00b'], // same low surrogate, different high one
      ['x\r\ny', 'x\ny'],
      ['x\ny', 'x\r\ny'],
      ['line\r\n', 'line\r\n// added\r\n'],
      ['', 'new'],
      ['old', ''],
    ];
    for (const [before, after] of cases) {
      const e = minimalEdit(before, after);
      assert.strictEqual(apply(before, e), after, JSON.stringify([before, after]));
      for (const cut of [e.start, e.end]) {
        const splitsPair = /[\uD800-\uDBFF]/.test(before[cut - 1] ?? '') && /[\uDC00-\uDFFF]/.test(before[cut] ?? '');
        assert.ok(!splitsPair && !(before[cut - 1] === '\r' && before[cut] === '\n'), `cut at ${cut} of ${JSON.stringify(before)}`);
      }
    }
    assert.deepStrictEqual(minimalEdit('fetch(`/a`)', 'fetch(`/a?t=1`)'), { start: 9, end: 9, newText: '?t=1' });
  });

  it('a fix whose edits touch becomes one edit with the same result', () => {
    const text = 'const a = 1;\ncall();\n';
    const lines = new LineIndex(text);
    const at = text.indexOf('call');
    const touching: Fix = {
      kind: 'retry',
      title: 'retry',
      edits: [
        { span: { start: at, end: at }, newText: 'retry(() => ' },
        { span: { start: at, end: at + 'call()'.length }, newText: 'call())' },
      ],
    };
    const one = fixTextEdits(text, touching, lines);
    assert.strictEqual(one.length, 1);
    const separate: Fix = { ...touching, edits: [{ span: { start: 0, end: 0 }, newText: '// x\n' }, { span: { start: at, end: at + 4 }, newText: 'other' }] };
    assert.strictEqual(fixTextEdits(text, separate, lines).length, 2);
    for (const fix of [touching, separate]) {
      const edits = fixTextEdits(text, fix, lines);
      assert.strictEqual(applyTextEdits(text, edits), applyEdits(text, fix.edits));
    }
  });
});
