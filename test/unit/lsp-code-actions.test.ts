/**
 * Code actions of the bundled language server over stdio: quick fixes requested with
 * `textDocument/codeAction` for the diagnostics the server published, the WorkspaceEdit applied as an editor
 * does (versioned TextDocumentEdits), and the diagnostics that follow; suppressions, documentation through
 * the server command (window/showDocument), `source.fixAll.pcAdvisor`, `only` filtering, stale requests.
 */
import * as assert from 'assert';
import * as os from 'os';
import * as path from 'path';
import type { ClientCapabilities, CodeAction, Command, Diagnostic } from 'vscode-languageserver/node';
import { Engine } from '../../server/src/engine/engine';
import { applyEdits } from '../../server/src/engine/fixes';
import { findingOf } from '../../server/src/lsp/diagnostics';
import { ensureBuilt, fileUri, LspTestClient } from '../helpers/lsp-client';
import { applyTextEdits, applyWorkspaceEdit, wholeRange } from '../helpers/workspace-edit';

const FIX_ALL = 'source.fixAll.pcAdvisor';
const OPEN_DOCS = 'pcAdvisor.server.openDocs';
const DOCS = 'https://learn.microsoft.com/partner-center/developer/';
/** Documents are only opened, never written: their folder need not exist. */
const DIR = path.join(os.tmpdir(), 'pc-advisor-code-actions');

/** Two agreement findings (lines 3 and 11) and a throttled call (line 7). */
const TS = [
  "const API = 'https://api.partnercenter.microsoft.com/v1';",
  '',
  'export async function agreements(customerId: string) {',
  '  return fetch(`${API}/customers/${customerId}/agreements`);',
  '}',
  '',
  'export async function subscriptions(customerId: string) {',
  '  return fetch(`${API}/customers/${customerId}/subscriptions`);',
  '}',
  '',
  'export async function metadata() {',
  '  return fetch(`${API}/agreements`);',
  '}',
  '',
].join('\n');

const TS_AGREEMENT_FIXED = TS.replace('${customerId}/agreements`', '${customerId}/agreements?agreementType=MicrosoftCustomerAgreement`');
const TS_ALL_FIXED = TS_AGREEMENT_FIXED.replace('`${API}/agreements`', '`${API}/agreements?agreementType=MicrosoftCustomerAgreement`');

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

const isAction = (a: CodeAction | Command): a is CodeAction => !('command' in a && typeof a.command === 'string');
const rule = (d: Diagnostic) => String(d.code);
const lineOf = (d: Diagnostic) => d.range.start.line;
const summary = (ds: Diagnostic[]) => ds.map((d) => `${rule(d)}@${lineOf(d)}`);

/** The engine's own fix of one kind for the finding behind `d`, applied in process (the expected output). */
async function engineFix(text: string, fileName: string, languageId: string, d: Diagnostic, kind: string): Promise<string> {
  const doc = (await new Engine().openDocument(fileName, languageId, text))!;
  try {
    const finding = findingOf(doc.analyze(), d);
    assert.ok(finding, `the engine finds ${rule(d)}@${lineOf(d)}`);
    const fix = doc.fixes(finding).find((f) => f.kind === kind);
    assert.ok(fix, `the engine offers ${kind}`);
    return applyEdits(text, fix.edits);
  } finally {
    doc.dispose();
  }
}

describe('language server: code actions', function () {
  this.timeout(60000);
  let client: LspTestClient;

  before(() => ensureBuilt());
  afterEach(async () => {
    await client?.stop();
  });

  async function start(options: { locale?: string; showDocument?: boolean; documentChanges?: boolean } = {}): Promise<LspTestClient> {
    client = await LspTestClient.start();
    const capabilities: ClientCapabilities = options.showDocument === false ? {} : { window: { workDoneProgress: true, showDocument: { support: true } } };
    if (options.documentChanges === false) capabilities.workspace = { configuration: true, workspaceEdit: { documentChanges: false } };
    const init = await client.initialize({ locale: options.locale, capabilities });
    const provider = init.capabilities.codeActionProvider as { codeActionKinds: string[] };
    assert.deepStrictEqual(provider.codeActionKinds, ['quickfix', FIX_ALL]);
    assert.deepStrictEqual(init.capabilities.executeCommandProvider?.commands, [OPEN_DOCS]);
    return client;
  }

  async function openAndDiagnose(uri: string, languageId: string, text: string, count: number): Promise<Diagnostic[]> {
    client.open(uri, languageId, text);
    return client.waitForDiagnostics(uri, (d) => d.length === count);
  }

  /** The code actions for one diagnostic (the editor sends the diagnostics under the cursor). */
  async function actionsFor(uri: string, d: Diagnostic, only?: string[]): Promise<CodeAction[]> {
    const actions = await client.codeActions(uri, d.range, { diagnostics: [d], only });
    assert.ok(actions.every(isAction), 'code actions, not bare commands');
    return actions as CodeAction[];
  }

  /** Applies an action's edit, then waits for the diagnostics of the new version. */
  async function apply(uri: string, action: CodeAction): Promise<{ text: string; diagnostics: Diagnostic[] }> {
    assert.ok(action.edit, `${action.title} has an edit`);
    for (const change of action.edit.documentChanges ?? []) {
      assert.ok('textDocument' in change && typeof change.textDocument.version === 'number', 'versioned TextDocumentEdit');
    }
    const text = client.applyEdit(uri, action.edit);
    const diagnostics = await client.waitForDiagnostics(uri);
    return { text, diagnostics };
  }

  it('TypeScript: agreementType is the preferred fix; applied, the text is fixed and the finding gone', async () => {
    await start();
    const uri = fileUri(path.join(DIR, 'agreements.ts'));
    const diags = await openAndDiagnose(uri, 'typescript', TS, 3);
    assert.deepStrictEqual(summary(diags), ['pc-missing-agreement-type@3', 'pc-throttled-endpoint@7', 'pc-missing-agreement-type@11']);

    const actions = await actionsFor(uri, diags[0]);
    assert.deepStrictEqual(
      actions.map((a) => [a.title, a.kind, a.isPreferred ?? false]),
      [
        ['Add agreementType: MicrosoftCustomerAgreement', 'quickfix', true],
        ['Ignore pc-missing-agreement-type on this line', 'quickfix', false],
        ['Ignore pc-missing-agreement-type in this file', 'quickfix', false],
        ["Show documentation: Get confirmation of a customer's acceptance of the Microsoft Customer Agreement", 'quickfix', false],
        ['Fix all agreementType problems in this file', 'quickfix', false],
      ],
    );
    for (const a of actions) assert.deepStrictEqual(a.diagnostics, [diags[0]], `${a.title}: the diagnostic it fixes`);

    const { text, diagnostics } = await apply(uri, actions[0]);
    assert.strictEqual(text, TS_AGREEMENT_FIXED);
    assert.deepStrictEqual(summary(diagnostics), ['pc-throttled-endpoint@7', 'pc-missing-agreement-type@11']);

    // Applying the fix again is not offered for what is left.
    const again = await actionsFor(uri, diagnostics[1]);
    assert.strictEqual(again.filter((a) => a.isPreferred).length, 1);
    const twice = await apply(uri, again[0]);
    assert.strictEqual(twice.text, TS_ALL_FIXED);
    assert.deepStrictEqual(summary(twice.diagnostics), ['pc-throttled-endpoint@7']);
    const none = await actionsFor(uri, twice.diagnostics[0]);
    assert.ok(!none.some((a) => a.title.startsWith('Add agreementType')), 'no agreementType fix for a throttled call');
  });

  it('TypeScript: the retry fix inserts the helper and wraps the call; the throttled finding goes', async () => {
    await start();
    const uri = fileUri(path.join(DIR, 'retry.ts'));
    const diags = await openAndDiagnose(uri, 'typescript', TS, 3);
    const throttled = diags.find((d) => rule(d) === 'pc-throttled-endpoint')!;
    const actions = await actionsFor(uri, throttled);
    const retry = actions.find((a) => a.title === 'Add retry with backoff (honours Retry-After)');
    assert.ok(retry, JSON.stringify(actions.map((a) => a.title)));
    assert.ok(!retry.isPreferred, 'a retry needs review: not preferred');
    assert.ok(!actions.some((a) => a.title === 'Fix all agreementType problems in this file'), 'no fix-all on a throttled diagnostic');
    const expected = await engineFix(TS, 'retry.ts', 'typescript', throttled, 'retry');
    const { text, diagnostics } = await apply(uri, retry);
    assert.strictEqual(text, expected);
    assert.match(text, /Retry-After/);
    assert.deepStrictEqual(summary(diagnostics).filter((s) => s.startsWith('pc-throttled')), []);
    assert.strictEqual(diagnostics.filter((d) => rule(d) === 'pc-missing-agreement-type').length, 2);
  });

  it('TypeScript with CRLF line ends: the fix keeps them', async () => {
    await start();
    const uri = fileUri(path.join(DIR, 'crlf.ts'));
    const crlf = TS.replace(/\n/g, '\r\n');
    const diags = await openAndDiagnose(uri, 'typescript', crlf, 3);
    for (const kind of ['Add agreementType', 'Ignore pc-missing-agreement-type on this line']) {
      const action = (await actionsFor(uri, diags[0])).find((a) => a.title.startsWith(kind))!;
      const docs = new Map([[uri, client.textOf(uri)]]);
      const text = applyWorkspaceEdit(action.edit!, docs).get(uri)!;
      assert.strictEqual(text.replace(/\r\n/g, '').includes('\n'), false, `${kind}: no lone \\n`);
      assert.strictEqual(text.replace(/\r\n/g, '').includes('\r'), false, `${kind}: no lone \\r`);
    }
  });

  it('suppressions: the comment goes on the line before or at the top, and the finding goes', async () => {
    await start();
    const uri = fileUri(path.join(DIR, 'suppress.ts'));
    let diags = await openAndDiagnose(uri, 'typescript', TS, 3);
    const line = (await actionsFor(uri, diags[1])).find((a) => a.title === 'Ignore pc-throttled-endpoint on this line')!;
    let r = await apply(uri, line);
    assert.match(r.text.split('\n')[7], /^ {2}\/\/ pc-advisor-disable-next-line pc-throttled-endpoint -- /);
    assert.strictEqual(r.text.split('\n').slice(8).join('\n'), TS.split('\n').slice(7).join('\n'), 'the rest is unchanged');
    assert.deepStrictEqual(summary(r.diagnostics), ['pc-missing-agreement-type@3', 'pc-missing-agreement-type@12']);

    diags = r.diagnostics;
    const file = (await actionsFor(uri, diags[0])).find((a) => a.title === 'Ignore pc-missing-agreement-type in this file')!;
    r = await apply(uri, file);
    assert.match(r.text.split('\n')[0], /^\/\/ pc-advisor-disable-file pc-missing-agreement-type$/);
    assert.deepStrictEqual(r.diagnostics, []);
  });

  it('.http: agreementType on the query, suppression with #', async () => {
    await start();
    const uri = fileUri(path.join(DIR, 'requests.http'));
    const diags = await openAndDiagnose(uri, 'http', HTTP, 2);
    assert.deepStrictEqual(summary(diags), ['pc-throttled-endpoint@4', 'pc-missing-agreement-type@8']);

    const throttledActions = await actionsFor(uri, diags[0]);
    assert.ok(!throttledActions.some((a) => a.isPreferred), 'nothing preferred on a throttled request');
    const suppress = throttledActions.find((a) => a.title === 'Ignore pc-throttled-endpoint on this line')!;
    const docs = new Map([[uri, client.textOf(uri)]]);
    const suppressed = applyWorkspaceEdit(suppress.edit!, docs).get(uri)!;
    assert.match(suppressed.split('\n')[4], /^# pc-advisor-disable-next-line pc-throttled-endpoint -- /);

    const agreement = (await actionsFor(uri, diags[1]))[0];
    assert.deepStrictEqual([agreement.title, agreement.isPreferred], ['Add agreementType: MicrosoftCustomerAgreement', true]);
    const { text, diagnostics } = await apply(uri, agreement);
    assert.strictEqual(text, HTTP.replace('{{customerId}}/agreements', '{{customerId}}/agreements?agreementType=MicrosoftCustomerAgreement'));
    assert.deepStrictEqual(summary(diagnostics), ['pc-throttled-endpoint@4']);

    const r = await apply(uri, (await actionsFor(uri, diagnostics[0])).find((a) => a.title === suppress.title)!);
    assert.deepStrictEqual(r.diagnostics, []);
  });

  it('documentation: the action runs the server command, which asks the client to show the page', async () => {
    await start();
    const uri = fileUri(path.join(DIR, 'docs.ts'));
    const diags = await openAndDiagnose(uri, 'typescript', TS, 3);
    const docs = (await actionsFor(uri, diags[1])).find((a) => a.command?.command === OPEN_DOCS)!;
    assert.strictEqual(docs.title, "Show documentation: Get all of a customer's subscriptions");
    assert.strictEqual(docs.edit, undefined);
    assert.deepStrictEqual(docs.command!.arguments, [`${DOCS}get-all-of-a-customer-s-subscriptions`]);
    assert.strictEqual(await client.executeCommand(docs.command!.command, docs.command!.arguments), null);
    assert.deepStrictEqual(client.shownDocuments, [{ uri: `${DOCS}get-all-of-a-customer-s-subscriptions`, external: true }]);

    // Anything but a Partner Center documentation page is refused, and nothing is shown.
    for (const args of [['https://evil.example/'], ['file:///etc/passwd'], [42], []]) {
      await assert.rejects(client.executeCommand(OPEN_DOCS, args), /not a Partner Center documentation page/);
    }
    await assert.rejects(client.executeCommand('pcAdvisor.server.unknown', []), /Unknown command/);
    assert.strictEqual(client.shownDocuments.length, 1);
  });

  it('documentation without window/showDocument: the address goes to the output', async () => {
    await start({ showDocument: false });
    const url = `${DOCS}get-a-list-of-orders-by-customer-id`;
    assert.strictEqual(await client.executeCommand(OPEN_DOCS, [url]), null);
    await client.waitFor('a log message with the address', () => client.logs.find((l) => l.message.includes(url) && l.type === 3));
    assert.deepStrictEqual(client.shownDocuments, []);
  });

  it('source.fixAll.pcAdvisor applies the agreementType fixes and nothing else', async () => {
    await start();
    const uri = fileUri(path.join(DIR, 'fixall.ts'));
    await openAndDiagnose(uri, 'typescript', TS, 3);
    // What editor.codeActionsOnSave sends: no diagnostics, only the kind.
    for (const only of [[FIX_ALL], ['source.fixAll'], ['source']]) {
      const actions = await client.codeActions(uri, wholeRange(TS), { diagnostics: [], only });
      assert.deepStrictEqual(
        (actions as CodeAction[]).map((a) => [a.kind, a.title]),
        [[FIX_ALL, 'Fix all agreementType problems in this file']],
        `only: ${only}`,
      );
    }
    const [action] = (await client.codeActions(uri, wholeRange(TS), { diagnostics: [], only: [FIX_ALL] })) as CodeAction[];
    const { text, diagnostics } = await apply(uri, action);
    assert.strictEqual(text, TS_ALL_FIXED);
    assert.deepStrictEqual(summary(diagnostics), ['pc-throttled-endpoint@7'], 'the throttled call is left for review');
    // Nothing left to fix: no action.
    assert.deepStrictEqual(await client.codeActions(uri, wholeRange(text), { diagnostics: [], only: [FIX_ALL] }), []);
  });

  it('only: quickfix gives quick fixes alone; other kinds give nothing', async () => {
    await start();
    const uri = fileUri(path.join(DIR, 'only.ts'));
    const diags = await openAndDiagnose(uri, 'typescript', TS, 3);
    const quick = await client.codeActions(uri, diags[0].range, { diagnostics: diags, only: ['quickfix'] });
    assert.ok(quick.length >= 9, `${quick.length} quick fixes`);
    assert.ok((quick as CodeAction[]).every((a) => a.kind === 'quickfix'));
    // Without `only` (the light bulb): the same quick fixes, and no source action.
    const all = await client.codeActions(uri, diags[0].range, { diagnostics: diags });
    assert.deepStrictEqual(all, quick);
    for (const only of [['refactor'], ['source.organizeImports'], ['quickfix.other']]) {
      assert.deepStrictEqual(await client.codeActions(uri, diags[0].range, { diagnostics: diags, only }), [], `only: ${only}`);
    }
  });

  it('gives nothing for stale diagnostics, unknown or closed documents, or diagnostics that are not ours; edits of an older version are refused', async () => {
    await start();
    const uri = fileUri(path.join(DIR, 'stale.ts'));
    const diags = await openAndDiagnose(uri, 'typescript', TS, 3);
    const v1Actions = await actionsFor(uri, diags[0]);
    assert.ok(v1Actions.length > 0);

    // A line inserted at the top: the version 1 diagnostics match nothing in version 2.
    client.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '// moved\n' }]);
    assert.deepStrictEqual(await client.codeActions(uri, diags[0].range, { diagnostics: diags }), []);
    // The version 1 edit is refused by the editor.
    assert.throws(() => applyWorkspaceEdit(v1Actions[0].edit!, new Map([[uri, client.textOf(uri)]])), /version 1 .* version 2/);
    // Version 2's own actions carry version 2.
    const fresh = await client.waitForDiagnostics(uri, (d) => d.length === 3);
    const v2 = (await actionsFor(uri, fresh[0]))[0];
    assert.strictEqual((v2.edit!.documentChanges![0] as { textDocument: { version: number } }).textDocument.version, 2);

    const foreign: Diagnostic = { ...diags[0], source: 'eslint', data: undefined };
    assert.deepStrictEqual(await client.codeActions(uri, diags[0].range, { diagnostics: [foreign] }), []);
    const unknown = fileUri(path.join(DIR, 'never-opened.ts'));
    assert.deepStrictEqual(await client.codeActions(unknown, diags[0].range, { diagnostics: diags }), []);
    assert.deepStrictEqual(await client.codeActions(unknown, diags[0].range, { diagnostics: [], only: [FIX_ALL] }), []);
    client.close(uri);
    assert.deepStrictEqual(await client.codeActions(uri, diags[0].range, { diagnostics: fresh }), []);
    assert.strictEqual(client.exitCode, undefined, 'still running');
  });

  it('a client without documentChanges gets plain changes', async () => {
    await start({ documentChanges: false });
    const uri = fileUri(path.join(DIR, 'changes.ts'));
    const diags = await openAndDiagnose(uri, 'typescript', TS, 3);
    const [fix] = await actionsFor(uri, diags[0]);
    assert.strictEqual(fix.edit?.documentChanges, undefined);
    assert.deepStrictEqual(Object.keys(fix.edit?.changes ?? {}), [uri]);
    assert.strictEqual(applyWorkspaceEdit(fix.edit!, new Map([[uri, client.textOf(uri)]])).get(uri), TS_AGREEMENT_FIXED);
  });

  it('titles follow the locale (French)', async () => {
    await start({ locale: 'fr' });
    const uri = fileUri(path.join(DIR, 'fr.ts'));
    const diags = await openAndDiagnose(uri, 'typescript', TS, 3);
    const titles = (await actionsFor(uri, diags[0])).map((a) => a.title);
    assert.deepStrictEqual(titles.slice(0, 3), [
      'Ajouter agreementType : MicrosoftCustomerAgreement',
      'Ignorer pc-missing-agreement-type sur cette ligne',
      'Ignorer pc-missing-agreement-type dans ce fichier',
    ]);
    assert.ok(titles.includes('Corriger tous les problèmes agreementType de ce fichier'));
    assert.ok(titles.some((t) => t.startsWith('Afficher la documentation : ')));
  });
});

describe('workspace edit applier (test helper)', () => {
  it('applies edits to the original text, inserts at one position in order, refuses overlaps', () => {
    const text = 'a\r\nbc\nd';
    const at = (line: number, character: number) => ({ line, character });
    assert.strictEqual(
      applyTextEdits(text, [
        { range: { start: at(1, 1), end: at(1, 2) }, newText: 'X' },
        { range: { start: at(0, 0), end: at(0, 0) }, newText: '1' },
        { range: { start: at(0, 0), end: at(0, 0) }, newText: '2' },
        { range: { start: at(2, 1), end: at(9, 9) }, newText: '!' },
      ]),
      '12a\r\nbX\nd!',
    );
    assert.throws(() => applyTextEdits(text, [
      { range: { start: at(0, 0), end: at(1, 1) }, newText: '' },
      { range: { start: at(1, 0), end: at(1, 2) }, newText: '' },
    ]), /overlapping/);
  });
});
