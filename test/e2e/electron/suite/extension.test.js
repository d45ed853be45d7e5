// The extension in a desktop VS Code: diagnostics, hover, quick fix, through the vscode API.
const assert = require('assert');
const path = require('path');
const vscode = require('vscode');

async function until(fn, what, timeout = 30000) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('Partner Center Advisor in VS Code (test-electron)', () => {
  const file = vscode.Uri.file(path.join(vscode.workspace.workspaceFolders[0].uri.fsPath, 'src', 'billing.ts'));

  it('publishes diagnostics for the throttled call and the agreement call', async () => {
    const doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc);
    const diags = await until(() => {
      const d = vscode.languages.getDiagnostics(file).filter((x) => x.source === 'pc-advisor');
      return d.length >= 2 ? d : undefined;
    }, 'two pc-advisor diagnostics');
    const codes = diags.map((d) => (typeof d.code === 'object' ? d.code.value : d.code)).sort();
    assert.deepStrictEqual(codes, ['pc-missing-agreement-type', 'pc-throttled-endpoint']);
  });

  it('answers a hover with the documentation link', async () => {
    const diag = vscode.languages.getDiagnostics(file).find((d) => (typeof d.code === 'object' ? d.code.value : d.code) === 'pc-throttled-endpoint');
    const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', file, diag.range.start);
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /learn\.microsoft\.com\/partner-center\/developer\//);
  });

  it('offers the preferred agreementType quick fix and applies it', async () => {
    const diag = vscode.languages.getDiagnostics(file).find((d) => (typeof d.code === 'object' ? d.code.value : d.code) === 'pc-missing-agreement-type');
    const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', file, diag.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.isPreferred);
    assert.ok(fix, `no preferred fix among ${actions.map((a) => a.title).join(', ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    const doc = await vscode.workspace.openTextDocument(file);
    assert.match(doc.getText(), /agreementType=MicrosoftCustomerAgreement/);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
