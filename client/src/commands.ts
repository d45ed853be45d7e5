/**
 * The extension's commands: scan the workspace (a progress notification whose Cancel button cancels the
 * request), open the throttling guidance or any documentation page, show the output, restart the server.
 */
import * as vscode from 'vscode';
import { ResponseError, WorkDoneProgress, type WorkDoneProgressBegin, type WorkDoneProgressReport } from 'vscode-languageclient/node';
import { DOCS_BASE, GUIDANCE_DOC } from '../../server/src/catalog/operations';
import { Commands, ScanWorkspaceRequest, type ScanWorkspaceParams, type ScanWorkspaceResult } from '../../server/src/lsp/protocol';
import type { AdvisorClient } from './client';

/** JSON-RPC's "request cancelled" error code (LSP `RequestCancelled`). */
const REQUEST_CANCELLED = -32800;

export const GUIDANCE_URL = `${DOCS_BASE}${GUIDANCE_DOC}`;

/** Only web pages are opened (the URL can come from a hover link or a code action). */
export function parseDocsUrl(value: unknown): vscode.Uri | undefined {
  if (typeof value !== 'string') return undefined;
  let uri: vscode.Uri;
  try {
    uri = vscode.Uri.parse(value, true);
  } catch {
    return undefined;
  }
  return (uri.scheme === 'https' || uri.scheme === 'http') && uri.authority ? uri : undefined;
}

export function registerCommands(advisor: AdvisorClient): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Commands.scanWorkspace, () => scanWorkspace(advisor)),
    vscode.commands.registerCommand(Commands.openGuidance, () => vscode.env.openExternal(vscode.Uri.parse(GUIDANCE_URL))),
    vscode.commands.registerCommand(Commands.openDocs, async (url: unknown) => {
      const uri = parseDocsUrl(url);
      if (!uri) {
        advisor.output.warn(`pcAdvisor.openDocs: not a web page address: ${JSON.stringify(url)}`);
        void vscode.window.showWarningMessage(vscode.l10n.t('Partner Center Advisor: cannot open {0}: not a web page address.', String(url)));
        return false;
      }
      return vscode.env.openExternal(uri);
    }),
    vscode.commands.registerCommand(Commands.showOutput, () => advisor.output.show(true)),
    vscode.commands.registerCommand(Commands.restartServer, () => advisor.restart()),
  ];
}

/** Runs `pcAdvisor/scanWorkspace` with a cancellable progress notification; returns the result (for tests). */
export async function scanWorkspace(advisor: AdvisorClient): Promise<ScanWorkspaceResult | undefined> {
  const folders = vscode.workspace.workspaceFolders?.filter((f) => f.uri.scheme === 'file') ?? [];
  if (folders.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Partner Center Advisor: open a folder to scan it.'));
    return undefined;
  }
  const client = advisor.languageClient;
  if (!client) {
    const showOutput = vscode.l10n.t('Show Output');
    const choice = await vscode.window.showWarningMessage(vscode.l10n.t('Partner Center Advisor: the server is not running.'), showOutput);
    if (choice === showOutput) advisor.output.show(true);
    return undefined;
  }
  const token = `pcAdvisor-scan-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const params: ScanWorkspaceParams = { folders: folders.map((f) => client.code2ProtocolConverter.asUri(f.uri)), workDoneToken: token };
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Partner Center Advisor: scanning the workspace'), cancellable: true },
    async (progress, cancel): Promise<ScanWorkspaceResult | undefined> => {
      let last = 0;
      const sub = client.onProgress(WorkDoneProgress.type, token, (value) => {
        if (value.kind === 'end') return;
        const v = value as WorkDoneProgressBegin | WorkDoneProgressReport;
        const increment = typeof v.percentage === 'number' ? Math.max(0, v.percentage - last) : undefined;
        if (typeof v.percentage === 'number') last = Math.max(last, v.percentage);
        progress.report({ message: v.message, increment });
      });
      try {
        return await client.sendRequest<ScanWorkspaceResult>(ScanWorkspaceRequest, params, cancel);
      } catch (e) {
        if (cancel.isCancellationRequested || (e instanceof ResponseError && e.code === REQUEST_CANCELLED)) {
          return { files: 0, findings: 0, cancelled: true };
        }
        advisor.output.error(`Scan failed: ${e instanceof Error ? e.message : String(e)}`);
        const showOutput = vscode.l10n.t('Show Output');
        void vscode.window.showErrorMessage(vscode.l10n.t('Partner Center Advisor: the scan failed.'), showOutput).then((c) => {
          if (c === showOutput) advisor.output.show(true);
        });
        return undefined;
      } finally {
        sub.dispose();
      }
    },
  );
  if (!result) return undefined;
  advisor.output.info(`Scan ${result.cancelled ? 'cancelled' : 'done'}: ${result.files} files, ${result.findings} findings.`);
  if (result.cancelled) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Partner Center Advisor: scan cancelled.'));
    return result;
  }
  const showProblems = vscode.l10n.t('Show Problems');
  const message =
    result.findings === 0
      ? vscode.l10n.t('Partner Center Advisor: no findings (files scanned: {0}).', result.files)
      : result.findings === 1
        ? vscode.l10n.t('Partner Center Advisor: 1 finding (files scanned: {0}).', result.files)
        : vscode.l10n.t('Partner Center Advisor: {0} findings (files scanned: {1}).', result.findings, result.files);
  void vscode.window.showInformationMessage(message, ...(result.findings > 0 ? [showProblems] : [])).then((c) => {
    if (c === showProblems) void vscode.commands.executeCommand('workbench.actions.view.problems');
  });
  return result;
}
