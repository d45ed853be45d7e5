/**
 * The bundled language server under bad input and bad timing, over stdio: unknown and closed documents,
 * positions out of range, malformed parameters, cancelled requests ($/cancelRequest answers RequestCancelled),
 * settings of the wrong type, a document changed while it is analysed, a burst of edits, hostile documents.
 *
 * Timing is made deterministic by holding the server at its settings request: the test client answers
 * workspace/configuration only when the test opens the gate, so "while being analysed" is a real state.
 */
import * as assert from 'assert';
import * as os from 'os';
import * as path from 'path';
import type { Diagnostic, Hover, MarkupContent } from 'vscode-languageserver/node';
import { ensureBuilt, fileUri, LspTestClient } from '../helpers/lsp-client';

const REQUEST_CANCELLED = -32800;
const DIR = path.join(os.tmpdir(), 'pc-advisor-robustness');

const TS = [
  "const API = 'https://api.partnercenter.microsoft.com/v1';",
  '',
  'export async function subscriptions(customerId: string) {',
  '  return fetch(`${API}/customers/${customerId}/subscriptions`);',
  '}',
  '',
].join('\n');
const CALL = { line: 3, character: 12 };

/** A promise the test resolves when it wants the server to go on. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

const hoverText = (h: Hover | null) => (h ? (h.contents as MarkupContent).value : '');

describe('language server: robustness', function () {
  this.timeout(60000);
  let client: LspTestClient;

  before(() => ensureBuilt());
  afterEach(async () => {
    await client?.stop();
  });

  async function start(): Promise<LspTestClient> {
    client = await LspTestClient.start();
    await client.initialize();
    return client;
  }

  /** A request the server answers at once: once it is answered, every earlier message was handled. */
  async function roundTrip(): Promise<void> {
    assert.deepStrictEqual(await client.codeActions(fileUri(path.join(DIR, 'sync.ts')), { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, { diagnostics: [] }), []);
  }

  /** The server still analyses documents and answers hovers. */
  async function stillWorks(name: string): Promise<void> {
    const uri = fileUri(path.join(DIR, `${name}-alive.ts`));
    client.open(uri, 'typescript', TS);
    const d = await client.waitForDiagnostics(uri, (x) => x.length === 1);
    assert.strictEqual(d[0].code, 'pc-throttled-endpoint');
    assert.match(hoverText(await client.hover(uri, CALL)), /429/);
    assert.strictEqual(client.exitCode, undefined);
  }

  it('answers requests for unknown and closed documents with nothing, and notes edits of documents that are not open', async () => {
    await start();
    const unknown = fileUri(path.join(DIR, 'unknown.ts'));
    assert.strictEqual(await client.hover(unknown, CALL), null);
    assert.deepStrictEqual(await client.codeActions(unknown, { start: CALL, end: CALL }, { diagnostics: [] }), []);
    void client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: unknown, version: 7 }, contentChanges: [{ text: 'x' }] });
    void client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: unknown } });
    await client.waitFor('a warning about the edit', () => client.logs.find((l) => l.type === 2 && l.message.includes('not open') && l.message.includes(unknown)));

    const uri = fileUri(path.join(DIR, 'closed.ts'));
    client.open(uri, 'typescript', TS);
    await client.waitForDiagnostics(uri, (d) => d.length === 1);
    assert.match(hoverText(await client.hover(uri, CALL)), /429/);
    client.close(uri);
    assert.strictEqual(await client.hover(uri, CALL), null);
    assert.deepStrictEqual(await client.waitForDiagnostics(uri, (d) => d.length === 0), [], 'closing clears its diagnostics');
    await stillWorks('unknown');
  });

  it('answers positions out of range and malformed requests without an error', async () => {
    await start();
    const uri = fileUri(path.join(DIR, 'range.ts'));
    client.open(uri, 'typescript', TS);
    const [d] = await client.waitForDiagnostics(uri, (x) => x.length === 1);
    const far = { line: 100000, character: 100000 };
    for (const position of [far, { line: 3, character: 100000 }, { line: -1, character: -5 }, { line: 0.5, character: Number.MAX_SAFE_INTEGER }]) {
      const h = await client.hover(uri, position);
      assert.ok(h === null || typeof hoverText(h) === 'string', JSON.stringify(position));
    }
    assert.deepStrictEqual(await client.codeActions(uri, { start: far, end: far }, { diagnostics: [] }), []);
    // Our diagnostic moved out of the document: matches nothing.
    assert.deepStrictEqual(await client.codeActions(uri, { start: far, end: far }, { diagnostics: [{ ...d, range: { start: far, end: far } }] }), []);
    // Garbage parameters: an answer (null, nothing) and a log line, never a crash.
    assert.strictEqual(await client.connection.sendRequest('textDocument/hover', { textDocument: { uri } }), null);
    assert.strictEqual(await client.connection.sendRequest('textDocument/hover', {}), null);
    assert.deepStrictEqual(await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, context: { diagnostics: [null, 42, {}] } }), []);
    assert.deepStrictEqual(await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri } }), []);
    void client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ range: { start: far, end: { line: -3, character: 0 } }, text: 'x' }] });
    void client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: 42 } });
    await roundTrip();
    await stillWorks('malformed');
  });

  it('answers a cancelled hover and code action with RequestCancelled', async () => {
    await start();
    const held = gate();
    client.settings = async () => {
      await held.wait;
      return {};
    };
    const uri = fileUri(path.join(DIR, 'cancel.ts'));
    client.open(uri, 'typescript', TS);
    // The server waits for the settings of the document: requests about it wait too.
    await client.waitFor('the settings request', () => client.configurationRequests.some((c) => c.scopeUri === uri));
    const hover = client.requestWithCancel('textDocument/hover', { textDocument: { uri }, position: CALL });
    const actions = client.requestWithCancel('textDocument/codeAction', { textDocument: { uri }, range: { start: CALL, end: CALL }, context: { diagnostics: [] } });
    const kept = client.hover(uri, CALL);
    hover.cancel();
    actions.cancel();
    await roundTrip(); // the cancellations have arrived
    held.open();
    await assert.rejects(hover.promise, (e: { code?: number }) => e.code === REQUEST_CANCELLED);
    await assert.rejects(actions.promise, (e: { code?: number }) => e.code === REQUEST_CANCELLED);
    assert.match(hoverText(await kept), /429/, 'the request that was not cancelled is answered');
    await client.waitForDiagnostics(uri, (d) => d.length === 1);
  });

  it('reports settings of the wrong type once each, by name, and uses the defaults', async () => {
    await start();
    client.settings = () => ({ enable: 'yes', rules: ['error'], extraHosts: 'pc.example', retryHelpers: 'withRetry', exclude: 'generated', maxFileSize: '4MB' });
    const uris = ['a.ts', 'b.ts'].map((n) => fileUri(path.join(DIR, n)));
    for (const uri of uris) client.open(uri, 'typescript', TS);
    for (const uri of uris) {
      const d = await client.waitForDiagnostics(uri, (x) => x.length === 1);
      assert.strictEqual(d[0].severity, 2, 'default severity: warning');
    }
    const warnings = client.logs.filter((l) => l.type === 2).map((l) => l.message);
    for (const name of ['enable', 'rules', 'extraHosts', 'retryHelpers', 'exclude', 'maxFileSize']) {
      const about = warnings.filter((w) => w.includes(`pcAdvisor.${name}`));
      assert.strictEqual(about.length, 1, `one message about pcAdvisor.${name}: ${JSON.stringify(warnings)}`);
    }
    // A section that is not an object at all.
    client.settings = () => 'on';
    client.changeConfiguration();
    await client.waitFor('a message about the section', () => client.logs.find((l) => l.type === 2 && /pcAdvisor\b/.test(l.message) && l.message.includes('object')));
    await client.waitForDiagnostics(uris[0], (x) => x.length === 1);
    await stillWorks('settings');
  });

  it('never publishes the results of a version that changed while it was analysed', async () => {
    await start();
    const held = gate();
    client.settings = async () => {
      await held.wait;
      return {};
    };
    const uri = fileUri(path.join(DIR, 'changed.ts'));
    client.open(uri, 'typescript', TS);
    await client.waitFor('the settings request', () => client.configurationRequests.some((c) => c.scopeUri === uri));
    // Version 1's analysis is under way (waiting for its settings); the call is removed in version 2.
    const v2 = client.change(uri, [{ range: { start: { line: 3, character: 9 }, end: { line: 3, character: 63 } }, text: 'customerId' }]);
    await roundTrip();
    held.open();
    assert.deepStrictEqual(await client.waitForDiagnostics(uri), []);
    const versions = client.published.filter((p) => p.uri === uri).map((p) => p.version);
    assert.deepStrictEqual(versions, [v2], 'only version 2 was published');
  });

  it('publishes only the final version after a burst of edits', async () => {
    await start();
    const held = gate();
    client.settings = async () => {
      await held.wait;
      return {};
    };
    const uri = fileUri(path.join(DIR, 'burst.ts'));
    const base = "const API = 'https://api.partnercenter.microsoft.com/v1';\nexport const f = (id: string) => ;\n";
    client.open(uri, 'typescript', base);
    await client.waitFor('the settings request', () => client.configurationRequests.some((c) => c.scopeUri === uri));
    // Type a throttled call character by character.
    const typed = 'fetch(`${API}/customers/${id}/orders`)';
    let version = 1;
    for (let i = 0; i < typed.length; i++) {
      const at = { line: 1, character: 33 + i };
      version = client.change(uri, [{ range: { start: at, end: at }, text: typed[i] }]);
    }
    await roundTrip();
    held.open();
    const d = await client.waitForDiagnostics(uri, (x) => x.length === 1);
    assert.deepStrictEqual(d[0].data, { rule: 'pc-throttled-endpoint', operation: 'list-customer-orders' });
    assert.strictEqual(client.textOf(uri).text, base.replace('=> ;', `=> ${typed};`));
    assert.deepStrictEqual(client.published.filter((p) => p.uri === uri).map((p) => p.version), [version]);
    await client.nextStatus(uri, 0);
    await roundTrip();
    assert.deepStrictEqual(client.statuses.filter((s) => s.uri === uri).map((s) => s.findings), [1], 'one analysis reported');
  });

  it('stays responsive while hostile documents are analysed; skipped files get one information diagnostic', async () => {
    await start();
    const minified = "fetch(`https://api.partnercenter.microsoft.com/v1/customers/${id}/subscriptions`);var a=1;".repeat(Math.ceil(10_000_000 / 90));
    const binary = '\u0089PNG\r\n\u001a\n\u0000\u0000\u0000\rIHDR' + String.fromCharCode(...Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)) + 'customers';
    const long = "const API = 'https://api.partnercenter.microsoft.com/v1';\nfetch(`${API}/customers/${id}/orders`);\n" + 'export const x = 1;\n'.repeat(200_000);
    const brackets = "fetch(`https://api.partnercenter.microsoft.com/v1/customers/${id}/orders`);\n" + '['.repeat(500_000) + ']'.repeat(500_000);
    const hostile = {
      minified: fileUri(path.join(DIR, 'bundle.min.js')),
      binary: fileUri(path.join(DIR, 'image.ts')),
      long: fileUri(path.join(DIR, 'generated.ts')),
      brackets: fileUri(path.join(DIR, 'deep.ts')),
    };
    const normal = fileUri(path.join(DIR, 'normal.ts'));
    client.open(normal, 'typescript', TS);
    await client.waitForDiagnostics(normal, (d) => d.length === 1);

    client.open(hostile.minified, 'javascript', minified);
    client.open(hostile.binary, 'typescript', binary);
    client.open(hostile.long, 'typescript', long);
    client.open(hostile.brackets, 'typescript', brackets);
    // A hover on another document, sent while the hostile ones are being analysed, is answered.
    const hover = await client.hover(normal, CALL);
    assert.match(hoverText(hover), /429/);

    const only = async (uri: string, why: RegExp): Promise<Diagnostic> => {
      const d = await client.waitForDiagnostics(uri);
      assert.strictEqual(d.length, 1, JSON.stringify(d));
      assert.strictEqual(d[0].severity, 3, 'information');
      assert.deepStrictEqual(d[0].range, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
      assert.match(d[0].message as string, why);
      return d[0];
    };
    await only(hostile.minified, /MB/);
    await only(hostile.binary, /binary/i);
    for (const uri of [hostile.long, hostile.brackets]) {
      // Analysed (the call is found) or skipped with one reason: never both, never silence.
      const d = await client.waitForDiagnostics(uri);
      const skipped = d.filter((x) => x.severity === 3 && !x.code);
      assert.ok(skipped.length === 1 ? d.length === 1 : d.some((x) => x.code === 'pc-throttled-endpoint'), `${uri}: ${JSON.stringify(d)}`);
    }
    // Edits to the hostile documents keep the server answering too.
    const end = { line: 0, character: 0 };
    client.change(hostile.minified, [{ range: { start: end, end }, text: '// x\n' }]);
    assert.match(hoverText(await client.hover(normal, CALL)), /429/);
    await client.waitForDiagnostics(hostile.minified, (d) => d.length === 1);
    await stillWorks('hostile');
  });
});
