/**
 * The language client: starts the bundled server (`dist/server.js`) over Node IPC, keeps the language status
 * item current, and restarts the server when it dies, telling the user once.
 */
import * as fs from 'fs';
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  RevealOutputChannelOn,
  State,
  TransportKind,
  type ErrorHandler,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import {
  Commands,
  DIAGNOSTIC_SOURCE,
  SETTINGS_SECTION,
  StatusNotification,
  type InitializationOptions,
  type Settings,
  type StatusParams,
} from '../../server/src/lsp/protocol';
import { CrashPolicy } from './crashPolicy';
import { documentSelector } from './languages';
import { statusView, type ServerState } from './statusText';

/** The client id: vscode-languageclient reads `<id>.trace.server` for the message trace. */
const CLIENT_ID = SETTINGS_SECTION;

export class AdvisorClient implements vscode.Disposable {
  readonly output: vscode.LogOutputChannel;
  private client: LanguageClient | undefined;
  private readonly statusItem: vscode.LanguageStatusItem;
  private readonly statuses = new Map<string, StatusParams>();
  private serverState: ServerState = 'starting';
  private readonly crashPolicy = new CrashPolicy();
  private readonly disposables: vscode.Disposable[] = [];
  private clientDisposables: vscode.Disposable[] = [];

  constructor(private readonly context: vscode.ExtensionContext) {
    this.output = vscode.window.createOutputChannel('Partner Center Advisor', { log: true });
    this.statusItem = vscode.languages.createLanguageStatusItem('pcAdvisor.status', documentSelector());
    this.statusItem.name = 'Partner Center Advisor';
    this.disposables.push(
      this.output,
      this.statusItem,
      vscode.window.onDidChangeActiveTextEditor(() => this.renderStatus()),
      vscode.workspace.onDidCloseTextDocument((doc) => this.statuses.delete(doc.uri.toString())),
    );
    this.renderStatus();
  }

  /** The running client, for requests (undefined while none is running). */
  get languageClient(): LanguageClient | undefined {
    return this.client?.isRunning() ? this.client : undefined;
  }

  async start(): Promise<void> {
    const serverModule = this.context.asAbsolutePath('dist/server.js');
    if (!fs.existsSync(serverModule)) {
      this.setServerState('stopped');
      this.output.error(`The language server is missing: ${serverModule}. Rebuild the extension (npm run build).`);
      void this.showError(vscode.l10n.t('Partner Center Advisor cannot start: its language server is missing. Reinstall the extension.'));
      return;
    }
    const serverOptions: ServerOptions = {
      run: { module: serverModule, transport: TransportKind.ipc },
      debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: documentSelector(),
      diagnosticCollectionName: DIAGNOSTIC_SOURCE,
      outputChannel: this.output,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      // Settings: the server registers for workspace/didChangeConfiguration on the pcAdvisor section, so the
      // client forwards every change and the server pulls the new values (no `synchronize` needed).
      // A function: evaluated at every (re)start, so a restart picks up the current display language.
      initializationOptions: (): InitializationOptions => ({ locale: vscode.env.language, settings: this.currentSettings() }),
      errorHandler: this.errorHandler(),
      initializationFailedHandler: (error) => {
        this.output.error(`The server failed to initialise: ${error instanceof Error ? error.message : String(error)}`);
        return false;
      },
      // Hovers link to web pages only: no command may run from Markdown built from the user's code.
      markdown: { isTrusted: false, supportHtml: false },
    };
    const client = new LanguageClient(CLIENT_ID, 'Partner Center Advisor', serverOptions, clientOptions);
    this.client = client;
    this.clientDisposables.push(
      client.onDidChangeState((e) => {
        if (e.newState === State.Running) this.setServerState('running');
        else if (e.newState === State.Starting) this.setServerState('starting');
        else if (this.serverState !== 'failed') this.setServerState('stopped');
      }),
      client.onNotification(StatusNotification, (params: StatusParams) => {
        this.statuses.set(params.uri, params);
        this.renderStatus();
      }),
    );
    this.setServerState('starting');
    try {
      await client.start();
    } catch (e) {
      this.setServerState('stopped');
      this.output.error(`The server did not start: ${e instanceof Error ? e.message : String(e)}`);
      void this.showError(vscode.l10n.t('Partner Center Advisor could not start its language server.'));
    }
  }

  /** Stops the server and starts a fresh one (the "Restart server" command). */
  async restart(): Promise<void> {
    this.crashPolicy.reset();
    await this.stop();
    this.statuses.clear();
    this.output.info('Restarting the server.');
    await this.start();
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    for (const d of this.clientDisposables) d.dispose();
    this.clientDisposables = [];
    if (!client) return;
    try {
      if (client.needsStop()) await client.stop(5000);
    } catch (e) {
      this.output.warn(`Stopping the server: ${e instanceof Error ? e.message : String(e)}`);
    }
    await client.dispose().catch(() => undefined);
  }

  dispose(): void {
    void this.stop();
    for (const d of this.disposables) d.dispose();
  }

  /** The settings as VS Code has them now (for clients that do not pull; the server validates them). */
  private currentSettings(): Partial<Settings> {
    const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
    const keys: (keyof Settings)[] = ['enable', 'rules', 'extraHosts', 'retryHelpers', 'exclude', 'maxFileSize'];
    const out: Record<string, unknown> = {};
    for (const key of keys) out[key] = config.get(key);
    return out as Partial<Settings>;
  }

  /**
   * Restarts a crashed server (vscode-languageclient would also tell the user every time) and shows one
   * message: at the first crash of the session, or when the server keeps crashing and is given up.
   */
  private errorHandler(): ErrorHandler {
    return {
      error: (_error, _message, count) => ({ action: count !== undefined && count <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown, handled: true }),
      closed: () => {
        const decision = this.crashPolicy.onCrash(Date.now());
        if (decision.action === 'give-up') {
          this.setServerState('failed');
          this.output.error(`The server crashed ${decision.crashes} times in a few minutes; it will not be restarted.`);
          void this.showError(
            vscode.l10n.t('The Partner Center Advisor server crashed {0} times in a few minutes and was stopped.', decision.crashes),
            true,
          );
          return { action: CloseAction.DoNotRestart, handled: true };
        }
        this.output.warn('The server stopped unexpectedly; restarting it.');
        if (decision.first) {
          void this.showWarning(vscode.l10n.t('The Partner Center Advisor server stopped unexpectedly and was restarted.'));
        }
        return { action: CloseAction.Restart, handled: true };
      },
    };
  }

  private async showError(message: string, offerRestart = false): Promise<void> {
    const showOutput = vscode.l10n.t('Show Output');
    const restart = vscode.l10n.t('Restart Server');
    const choice = await vscode.window.showErrorMessage(message, ...(offerRestart ? [restart, showOutput] : [showOutput]));
    if (choice === showOutput) this.output.show(true);
    else if (choice === restart) await vscode.commands.executeCommand(Commands.restartServer);
  }

  private async showWarning(message: string): Promise<void> {
    const showOutput = vscode.l10n.t('Show Output');
    if ((await vscode.window.showWarningMessage(message, showOutput)) === showOutput) this.output.show(true);
  }

  private setServerState(state: ServerState): void {
    this.serverState = state;
    this.renderStatus();
  }

  private renderStatus(): void {
    const doc = vscode.window.activeTextEditor?.document;
    const view = statusView(this.serverState, doc ? this.statuses.get(doc.uri.toString()) : undefined, vscode.l10n);
    this.statusItem.text = view.text;
    this.statusItem.detail = view.detail;
    this.statusItem.busy = view.busy;
    this.statusItem.severity =
      view.severity === 'error'
        ? vscode.LanguageStatusSeverity.Error
        : view.severity === 'warning'
          ? vscode.LanguageStatusSeverity.Warning
          : vscode.LanguageStatusSeverity.Information;
    this.statusItem.command =
      view.command === 'restart'
        ? { title: vscode.l10n.t('Restart Server'), command: Commands.restartServer }
        : view.command === 'output'
          ? { title: vscode.l10n.t('Show Output'), command: Commands.showOutput }
          : { title: vscode.l10n.t('Scan Workspace'), command: Commands.scanWorkspace };
  }
}
