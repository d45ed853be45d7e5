/**
 * The bundled language server (dist/server.js, and the same through `dist/cli.js lsp --stdio`), driven over
 * stdio by a real JSON-RPC client: capabilities, diagnostics, incremental edits, hovers, locale, settings,
 * workspace scan and its cancellation.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Diagnostic } from 'vscode-languageserver/node';
import { DIST_CLI, DIST_SERVER, ensureBuilt, fileUri, LspTestClient } from '../helpers/lsp-client';

const ADVISOR_SOURCE = 'pc-advisor';
const DOCS = 'https://learn.microsoft.com/partner-center/developer/';

/** A flagged call (line 4) and a call covered by p-retry (line 8, recognised but not flagged). */
const TS = [
  "import pRetry from 'p-retry';",
  "const API = 'https://api.partnercenter.microsoft.com/v1';",
  '',
  'export async function subscriptions(customerId: string) {',
  '  return fetch(`${API}/customers/${customerId}/subscriptions`);',
  '}',
  '',
  'export async function order(customerId: string, orderId: string) {',
  '  return pRetry(() => fetch(`${API}/customers/${customerId}/orders/${orderId}`), { retries: 5 });',
  '}',
  '',
].join('\n');

const HTTP = [
  '@host = https://api.partnercenter.microsoft.com',
  '@customerId = 3c4e8b5a-2f1d-4b6e-9a7c-1d2e3f4a5b6c',
  '',
  '### Orders of a customer',
  'GET {{host}}/v1/customers/{{customerId}}/orders',
  'Authorization: Bearer {{token}}',
  '',
  '### Agreements',
  'GET {{host}}/v1/customers/{{customerId}}/agreements',
  '',
].join('\n');

/** The range of the `n`-th occurrence of `needle` in `text` (LSP positions). */
function positionOf(text: string, needle: string, n = 0): { line: number; character: number } {
  let at = -1;
  for (let i = 0; i <= n; i++) {
    at = text.indexOf(needle, at + 1);
    assert.ok(at >= 0, `${needle} not in the text`);
  }
  const before = text.slice(0, at).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

/** Diagnostic messages are strings or (LSP 3.18) Markup; this server sends strings. */
function messageOf(d: Diagnostic): string {
  assert.strictEqual(typeof d.message, 'string');
  return d.message as string;
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'pc-advisor-lsp-'));
}

describe('language server', function () {
  this.timeout(60000);
  let dir: string;
  let client: LspTestClient;

  before(() => ensureBuilt());
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(async () => {
    await client?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers initialize with incremental sync, hovers and its name', async () => {
    client = await LspTestClient.start();
    const init = await client.initialize();
    const sync = init.capabilities.textDocumentSync as { openClose: boolean; change: number };
    assert.strictEqual(sync.openClose, true);
    assert.strictEqual(sync.change, 2, 'incremental');
    assert.strictEqual(init.capabilities.hoverProvider, true);
    assert.strictEqual(init.serverInfo?.name, ADVISOR_SOURCE);
    assert.match(init.serverInfo?.version ?? '', /^\d+\.\d+\.\d+/);
  });

  it('publishes diagnostics with code, link, source, data and range for TypeScript and .http', async () => {
    client = await LspTestClient.start();
    await client.initialize({ workspaceFolders: [{ uri: fileUri(dir), name: 'w' }] });
    const tsUri = fileUri(path.join(dir, 'client.ts'));
    client.open(tsUri, 'typescript', TS);
    const diags = await client.waitForDiagnostics(tsUri, (d) => d.length > 0);
    assert.strictEqual(diags.length, 1, JSON.stringify(diags));
    const d = diags[0];
    assert.strictEqual(d.code, 'pc-throttled-endpoint');
    assert.strictEqual(d.source, ADVISOR_SOURCE);
    assert.strictEqual(d.severity, 2);
    assert.strictEqual(d.codeDescription?.href, `${DOCS}get-all-of-a-customer-s-subscriptions`);
    assert.deepStrictEqual(d.data, { rule: 'pc-throttled-endpoint', operation: 'list-customer-subscriptions' });
    assert.deepStrictEqual(d.range.start, positionOf(TS, 'fetch(`${API}/customers'));
    assert.strictEqual(d.range.end.line, d.range.start.line);
    assert.match(messageOf(d), /HTTP 429/);
    assert.strictEqual(client.diagnostics.get(tsUri)?.version, 1);

    // Pulled per document scope.
    await client.waitFor('a scoped configuration request', () => client.configurationRequests.some((c) => c.scopeUri === tsUri && c.section === 'pcAdvisor'));
    const status = await client.waitFor('status', () => client.statuses.find((s) => s.uri === tsUri));
    assert.deepStrictEqual(
      { state: status.state, findings: status.findings, throttledCallSites: status.throttledCallSites },
      { state: 'ok', findings: 1, throttledCallSites: 2 },
      'the p-retry call counts as a throttled call site',
    );

    const httpUri = fileUri(path.join(dir, 'requests.http'));
    client.open(httpUri, 'http', HTTP);
    const h = await client.waitForDiagnostics(httpUri, (x) => x.length > 0);
    assert.deepStrictEqual(
      h.map((x) => [x.code, (x.data as { operation: string }).operation, x.range.start.line]),
      [
        ['pc-throttled-endpoint', 'list-customer-orders', 4],
        ['pc-missing-agreement-type', 'get-customer-agreements', 8],
      ],
    );
    assert.strictEqual(h[1].codeDescription?.href, `${DOCS}get-confirmation-of-customer-agreement`);
  });

  it('follows incremental edits: a finding added, then removed; only the latest version is published', async () => {
    client = await LspTestClient.start();
    await client.initialize();
    const uri = fileUri(path.join(dir, 'edit.ts'));
    const base = "const API = 'https://api.partnercenter.microsoft.com/v1';\n\nexport async function f(id: string) {\n  return id;\n}\n";
    client.open(uri, 'typescript', base);
    assert.deepStrictEqual(await client.waitForDiagnostics(uri), []);

    // Replace `id` (line 3) by a throttled call, in two keystroke-like edits.
    const start = { line: 3, character: 9 };
    client.change(uri, [{ range: { start, end: { line: 3, character: 11 } }, text: 'fetch(`${API}/customers/${id}' }]);
    const v = client.change(uri, [{ range: { start: { line: 3, character: 38 }, end: { line: 3, character: 38 } }, text: '/orders`)' }]);
    const added = await client.waitForDiagnostics(uri, (d) => d.length === 1);
    assert.strictEqual(added[0].data && (added[0].data as { operation: string }).operation, 'list-customer-orders');
    assert.deepStrictEqual(added[0].range.start, start);
    assert.strictEqual(client.diagnostics.get(uri)?.version, v);

    // Undo: the finding goes.
    const v2 = client.change(uri, [{ range: { start, end: { line: 3, character: 47 } }, text: 'id' }]);
    assert.deepStrictEqual(await client.waitForDiagnostics(uri, (d) => d.length === 0), []);
    assert.strictEqual(client.diagnostics.get(uri)?.version, v2);

    // Versions published never go backwards.
    const versions = client.published.filter((p) => p.uri === uri).map((p) => p.version ?? 0);
    assert.deepStrictEqual(versions, [...versions].sort((a, b) => a - b));
  });

  it('hovers on recognised calls, flagged or covered, with the links; nothing elsewhere', async () => {
    client = await LspTestClient.start();
    await client.initialize();
    const uri = fileUri(path.join(dir, 'hover.ts'));
    client.open(uri, 'typescript', TS);
    await client.waitForDiagnostics(uri, (d) => d.length > 0);

    const flagged = await client.hover(uri, positionOf(TS, '/subscriptions'));
    assert.ok(flagged, 'hover on the flagged call');
    const md = flagged.contents as { kind: string; value: string };
    assert.strictEqual(md.kind, 'markdown');
    assert.match(md.value, /Get all of a customer's subscriptions/);
    assert.match(md.value, /GET \/v1\/customers\/\{customer-id\}\/subscriptions/);
    assert.match(md.value, /429/);
    assert.ok(md.value.includes(`](${DOCS}get-all-of-a-customer-s-subscriptions)`), md.value);
    assert.ok(md.value.includes(`](${DOCS}api-throttling-guidance)`), md.value);
    assert.ok(md.value.includes(`](${DOCS}get-a-record-of-partner-center-activity-by-user)`), md.value);

    const covered = await client.hover(uri, positionOf(TS, '/orders/'));
    assert.ok(covered, 'hover on the call covered by p-retry (no diagnostic there)');
    const cv = (covered.contents as { value: string }).value;
    assert.match(cv, /Get an order by ID|order/i);
    assert.match(cv, /Covered by retry handling: `pRetry`/);

    assert.strictEqual(await client.hover(uri, positionOf(TS, 'import')), null);
    assert.strictEqual(await client.hover(uri, { line: 999, character: 0 }), null, 'a position past the end');
  });

  it('hovers on the innermost call when calls are nested', async () => {
    client = await LspTestClient.start();
    await client.initialize();
    const text = [
      "import axios from 'axios';",
      "const API = 'https://api.partnercenter.microsoft.com/v1';",
      'export async function bump(c: string, s: string) {',
      '  return axios.patch(`${API}/customers/${c}/subscriptions/${s}`, (await axios.get(`${API}/customers/${c}/subscriptions/${s}`)).data);',
      '}',
      '',
    ].join('\n');
    const uri = fileUri(path.join(dir, 'nested.ts'));
    client.open(uri, 'typescript', text);
    await client.waitForDiagnostics(uri, (d) => d.length === 2);
    const value = async (needle: string, n: number) => ((await client.hover(uri, positionOf(text, needle, n)))!.contents as { value: string }).value;
    assert.match(await value('/subscriptions/', 0), /^\*\*[^*]+\*\* — `PATCH /);
    assert.match(await value('/subscriptions/', 1), /^\*\*[^*]+\*\* — `GET /);
  });

  it('speaks French with locale fr (messages and hovers)', async () => {
    client = await LspTestClient.start();
    await client.initialize({ initializationOptions: { locale: 'fr' } });
    const uri = fileUri(path.join(dir, 'fr.ts'));
    client.open(uri, 'typescript', TS);
    const [d] = await client.waitForDiagnostics(uri, (x) => x.length > 0);
    assert.match(messageOf(d), /est limitée par l’Espace partenaires/);
    const hover = await client.hover(uri, positionOf(TS, '/subscriptions'));
    assert.match((hover!.contents as { value: string }).value, /Limitée par l’Espace partenaires/);
  });

  it('takes the locale from InitializeParams when initializationOptions has none', async () => {
    client = await LspTestClient.start();
    await client.initialize({ locale: 'fr-CA' });
    const uri = fileUri(path.join(dir, 'fr.http'));
    client.open(uri, 'http', HTTP);
    const diags = await client.waitForDiagnostics(uri, (x) => x.length > 0);
    assert.match(messageOf(diags[0]), /limitée/);
  });

  it('reports an invalid setting once, by name, in the output and uses the default', async () => {
    client = await LspTestClient.start();
    client.settings = () => ({ rules: { 'pc-throttled-endpoint': 'fatal' }, maxFileSize: 'big', extraHosts: 'pc.example' });
    await client.initialize();
    const a = fileUri(path.join(dir, 'a.ts'));
    const b = fileUri(path.join(dir, 'b.ts'));
    client.open(a, 'typescript', TS);
    client.open(b, 'typescript', TS);
    const [d] = await client.waitForDiagnostics(a, (x) => x.length > 0);
    await client.waitForDiagnostics(b, (x) => x.length > 0);
    assert.strictEqual(d.severity, 2, 'the rule keeps its default severity (warning)');
    const warnings = client.logs.filter((l) => l.type === 2);
    const about = (name: string) => warnings.filter((w) => w.message.includes(name));
    assert.strictEqual(about('pcAdvisor.rules.pc-throttled-endpoint').length, 1, JSON.stringify(warnings));
    assert.match(about('pcAdvisor.rules.pc-throttled-endpoint')[0].message, /"fatal"/);
    assert.strictEqual(about('pcAdvisor.maxFileSize').length, 1, JSON.stringify(warnings));
    assert.strictEqual(about('pcAdvisor.extraHosts').length, 1, JSON.stringify(warnings));
  });

  it('applies settings without restart: severity, enable: false clears, enable: true restores', async () => {
    client = await LspTestClient.start();
    let settings: Record<string, unknown> = { rules: { 'pc-throttled-endpoint': 'error' } };
    client.settings = () => settings;
    await client.initialize();
    const uri = fileUri(path.join(dir, 'toggle.ts'));
    client.open(uri, 'typescript', TS);
    const [d] = await client.waitForDiagnostics(uri, (x) => x.length > 0);
    assert.strictEqual(d.severity, 1);

    settings = { enable: false };
    let from = client.statuses.length;
    client.changeConfiguration();
    assert.deepStrictEqual(await client.waitForDiagnostics(uri, (x) => x.length === 0), []);
    await client.nextStatus(uri, from, 'disabled');
    assert.strictEqual(await client.hover(uri, positionOf(TS, '/subscriptions')), null, 'no hover when disabled');

    settings = { enable: true, rules: { 'pc-throttled-endpoint': 'information' } };
    from = client.statuses.length;
    client.changeConfiguration();
    const [again] = await client.waitForDiagnostics(uri, (x) => x.length > 0);
    assert.strictEqual(again.severity, 3);
    await client.nextStatus(uri, from, 'ok');
  });

  it('takes settings from initializationOptions and didChangeConfiguration when the client cannot be asked', async () => {
    client = await LspTestClient.start();
    await client.initialize({ configuration: false, initializationOptions: { settings: { rules: { 'pc-throttled-endpoint': 'error' } } } });
    const uri = fileUri(path.join(dir, 'push.ts'));
    client.open(uri, 'typescript', TS);
    const [d] = await client.waitForDiagnostics(uri, (x) => x.length > 0);
    assert.strictEqual(d.severity, 1);
    assert.strictEqual(client.configurationRequests.length, 0);
    client.changeConfiguration({ pcAdvisor: { enable: false } });
    assert.deepStrictEqual(await client.waitForDiagnostics(uri, (x) => x.length === 0), []);
  });

  it('skips excluded files (globs relative to the workspace folder)', async () => {
    client = await LspTestClient.start();
    client.settings = () => ({ exclude: ['generated/**'] });
    await client.initialize({ workspaceFolders: [{ uri: fileUri(dir), name: 'w' }] });
    const excluded = fileUri(path.join(dir, 'generated', 'api.ts'));
    const kept = fileUri(path.join(dir, 'src', 'api.ts'));
    client.open(excluded, 'typescript', TS);
    client.open(kept, 'typescript', TS);
    assert.strictEqual((await client.waitForDiagnostics(kept, (x) => x.length > 0)).length, 1);
    const status = await client.waitFor('excluded status', () => client.statuses.find((s) => s.uri === excluded));
    assert.strictEqual(status.state, 'excluded');
    assert.deepStrictEqual(client.diagnostics.get(excluded)?.diagnostics, []);
  });

  it('reports a file over maxFileSize with exactly one information diagnostic at its start', async () => {
    client = await LspTestClient.start();
    client.settings = () => ({ maxFileSize: 0.0001 }); // ~100 bytes
    await client.initialize();
    const uri = fileUri(path.join(dir, 'big.ts'));
    client.open(uri, 'typescript', TS);
    const diags = await client.waitForDiagnostics(uri, (x) => x.length > 0);
    assert.strictEqual(diags.length, 1);
    assert.strictEqual(diags[0].severity, 3);
    assert.deepStrictEqual(diags[0].range.start, { line: 0, character: 0 });
    assert.match(messageOf(diags[0]), /skipped.*larger than/);
    const status = await client.waitFor('skipped status', () => client.statuses.find((s) => s.uri === uri));
    assert.strictEqual(status.state, 'skipped');
  });

  it('falls back to the file extension for language ids it does not know, and survives bad input', async () => {
    client = await LspTestClient.start();
    await client.initialize();
    const uri = fileUri(path.join(dir, 'nvim.ts'));
    client.open(uri, 'some-editor-id', TS);
    assert.strictEqual((await client.waitForDiagnostics(uri, (x) => x.length > 0)).length, 1);

    const untitled = 'untitled:Untitled-1';
    client.open(untitled, 'typescript', TS);
    assert.strictEqual((await client.waitForDiagnostics(untitled, (x) => x.length > 0)).length, 1);

    // A change for a document that is not open, a hover on one, an unknown request: the server lives on.
    client.change(fileUri(path.join(dir, 'never-opened.ts')), [{ text: 'x' }]);
    assert.strictEqual(await client.hover(fileUri(path.join(dir, 'never-opened.ts')), { line: 0, character: 0 }), null);
    await assert.rejects(client.connection.sendRequest('pcAdvisor/noSuchRequest', {}));
    await client.waitFor('a warning about the unknown document', () => client.logs.some((l) => l.message.includes('never-opened.ts')));
    assert.ok(await client.hover(uri, positionOf(TS, '/subscriptions')));
    assert.strictEqual(client.exitCode, undefined);
  });

  it('runs over Node IPC (--node-ipc, what the VS Code client uses)', async () => {
    client = await LspTestClient.start({ ipcModule: DIST_SERVER });
    await client.initialize();
    const uri = fileUri(path.join(dir, 'ipc.ts'));
    client.open(uri, 'typescript', TS);
    assert.strictEqual((await client.waitForDiagnostics(uri, (x) => x.length > 0)).length, 1);
    assert.strictEqual(await client.stop(), 0);
  });

  it('works the same through `pc-advisor lsp --stdio`', async () => {
    client = await LspTestClient.start({ command: [process.execPath, DIST_CLI, 'lsp', '--stdio'] });
    const init = await client.initialize({ initializationOptions: { locale: 'en' } });
    assert.strictEqual(init.serverInfo?.name, ADVISOR_SOURCE);
    const uri = fileUri(path.join(dir, 'cli.http'));
    client.open(uri, 'http', HTTP);
    const diags = await client.waitForDiagnostics(uri, (x) => x.length > 0);
    assert.deepStrictEqual(diags.map((d) => d.code), ['pc-throttled-endpoint', 'pc-missing-agreement-type']);
    const hover = await client.hover(uri, positionOf(HTTP, '/agreements'));
    assert.match((hover!.contents as { value: string }).value, /agreement/i);
    assert.strictEqual(await client.stop(), 0, 'exits 0 after shutdown + exit');
  });
});

describe('language server: workspace scan', function () {
  this.timeout(120000);
  let dir: string;
  let client: LspTestClient;

  before(() => ensureBuilt());
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(async () => {
    await client?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('publishes diagnostics for closed files, reports progress, skips ignored folders; opened files switch to live analysis', async () => {
    fs.mkdirSync(path.join(dir, 'src'));
    fs.mkdirSync(path.join(dir, 'node_modules', 'pkg'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'src', 'closed.ts'), TS);
    fs.writeFileSync(path.join(dir, 'src', 'clean.ts'), 'export const customers = [];\n');
    fs.writeFileSync(path.join(dir, 'requests.http'), HTTP);
    fs.writeFileSync(path.join(dir, 'node_modules', 'pkg', 'index.ts'), TS);
    client = await LspTestClient.start();
    await client.initialize({ workspaceFolders: [{ uri: fileUri(dir), name: 'w' }] });

    const result = await client.connection.sendRequest<{ files: number; findings: number; cancelled: boolean }>('pcAdvisor/scanWorkspace', { workDoneToken: 'scan-1' });
    assert.deepStrictEqual({ files: result.files, findings: result.findings, cancelled: result.cancelled }, { files: 3, findings: 3, cancelled: false });
    const closed = fileUri(path.join(dir, 'src', 'closed.ts'));
    const diags = client.diagnostics.get(closed);
    assert.ok(diags, 'diagnostics for the closed file');
    assert.strictEqual(diags.version, undefined);
    assert.deepStrictEqual(diags.diagnostics.map((d) => d.code), ['pc-throttled-endpoint']);
    assert.strictEqual(client.diagnostics.get(fileUri(path.join(dir, 'requests.http')))?.diagnostics.length, 2);
    assert.ok(!client.diagnostics.has(fileUri(path.join(dir, 'node_modules', 'pkg', 'index.ts'))), 'node_modules is skipped');
    assert.ok(!client.diagnostics.has(fileUri(path.join(dir, 'src', 'clean.ts'))), 'no empty publishes for clean files');
    const kinds = client.progress.filter((p) => p.token === 'scan-1').map((p) => p.value.kind);
    assert.strictEqual(kinds[0], 'begin');
    assert.strictEqual(kinds[kinds.length - 1], 'end');

    // Opened (and edited) files switch to the live analysis, with versions.
    client.open(closed, 'typescript', TS.replace('/subscriptions`', '/profile`'));
    assert.deepStrictEqual(await client.waitForDiagnostics(closed, (d) => d.length === 0), []);
    assert.strictEqual(client.diagnostics.get(closed)?.version, 1);
    // Closed again: back to what is on disk.
    client.close(closed);
    const back = await client.waitFor('the scan result again', () => {
      const p = client.diagnostics.get(closed);
      return p && p.version === undefined && p.diagnostics.length === 1 ? p : undefined;
    });
    assert.strictEqual(back.diagnostics[0].code, 'pc-throttled-endpoint');
  });

  it('follows changes on disk of scanned files (watched files)', async () => {
    const file = path.join(dir, 'src', 'watched.ts');
    fs.mkdirSync(path.dirname(file));
    fs.writeFileSync(file, TS);
    client = await LspTestClient.start();
    await client.initialize({ workspaceFolders: [{ uri: fileUri(dir), name: 'w' }] });
    await client.connection.sendRequest('pcAdvisor/scanWorkspace', {});
    const uri = fileUri(file);
    assert.strictEqual(client.diagnostics.get(uri)?.diagnostics.length, 1);
    const watcher = await client.waitFor('a file watcher registration', () => client.registrations.find((r) => r.method === 'workspace/didChangeWatchedFiles'));
    assert.match(JSON.stringify(watcher.registerOptions), /\*\*\/\*\.\{ts,/);

    fs.writeFileSync(file, TS.replace('/subscriptions`', '/profile`'));
    void client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 2 }] });
    assert.deepStrictEqual(await client.waitForDiagnostics(uri, (d) => d.length === 0), []);

    const created = path.join(dir, 'src', 'new.http');
    fs.writeFileSync(created, HTTP);
    void client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(created), type: 1 }] });
    assert.strictEqual((await client.waitForDiagnostics(fileUri(created), (d) => d.length > 0)).length, 2);

    fs.rmSync(created);
    void client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(created), type: 3 }] });
    assert.deepStrictEqual(await client.waitForDiagnostics(fileUri(created), (d) => d.length === 0), []);
  });

  it('applies settings changes to the files the scan covered', async () => {
    const file = path.join(dir, 'src', 'covered.ts');
    fs.mkdirSync(path.dirname(file));
    fs.writeFileSync(file, TS);
    client = await LspTestClient.start();
    let settings: Record<string, unknown> = {};
    client.settings = () => settings;
    await client.initialize({ workspaceFolders: [{ uri: fileUri(dir), name: 'w' }] });
    await client.connection.sendRequest('pcAdvisor/scanWorkspace', {});
    const uri = fileUri(file);
    assert.strictEqual(client.diagnostics.get(uri)?.diagnostics[0].severity, 2);
    settings = { rules: { 'pc-throttled-endpoint': 'error' } };
    client.changeConfiguration();
    await client.waitForDiagnostics(uri, (d) => d.length === 1 && d[0].severity === 1);
    settings = { exclude: ['src/'] };
    client.changeConfiguration();
    assert.deepStrictEqual(await client.waitForDiagnostics(uri, (d) => d.length === 0), []);
  });

  it('stops a cancelled scan', async () => {
    const n = 400;
    for (let i = 0; i < n; i++) {
      const sub = path.join(dir, `m${Math.floor(i / 50)}`);
      fs.mkdirSync(sub, { recursive: true });
      fs.writeFileSync(path.join(sub, `f${i}.ts`), TS);
    }
    client = await LspTestClient.start();
    await client.initialize({ workspaceFolders: [{ uri: fileUri(dir), name: 'w' }] });
    const { promise, cancel } = client.requestWithCancel<{ files: number; findings: number; cancelled: boolean }>('pcAdvisor/scanWorkspace', {});
    // Cancel once the scan is under way (its first diagnostics are out).
    await client.waitFor('the first scan diagnostics', () => client.published.length > 0);
    cancel();
    const result = await promise;
    assert.strictEqual(result.cancelled, true);
    assert.ok(result.files < n, `stopped early (${result.files} of ${n})`);
    const published = new Set(client.published.map((p) => p.uri)).size;
    assert.ok(published < n, `published ${published} of ${n}`);
    // The server is still responsive after the cancelled scan.
    const again = await client.connection.sendRequest<{ files: number; cancelled: boolean }>('pcAdvisor/scanWorkspace', {});
    assert.deepStrictEqual({ files: again.files, cancelled: again.cancelled }, { files: n, cancelled: false });
  });
});
