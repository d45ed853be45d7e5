/**
 * Partner Center Advisor for VS Code: the entry point (bundled to dist/client.js). Activation is on the
 * served languages (package.json `activationEvents`); the work is done by the language server.
 */
import * as vscode from 'vscode';
import { AdvisorClient } from './client';
import { registerCommands, scanWorkspace } from './commands';

let advisor: AdvisorClient | undefined;

/** What the extension exports: used by the VS Code integration tests. */
export interface AdvisorApi {
  /** Resolves once the server has started (or failed to). */
  ready: Promise<void>;
  scanWorkspace(): ReturnType<typeof scanWorkspace>;
}

export function activate(context: vscode.ExtensionContext): AdvisorApi {
  advisor = new AdvisorClient(context);
  const a = advisor;
  context.subscriptions.push(a, ...registerCommands(a));
  const ready = a.start();
  return { ready, scanWorkspace: () => scanWorkspace(a) };
}

export async function deactivate(): Promise<void> {
  const a = advisor;
  advisor = undefined;
  await a?.stop();
}
