/**
 * A small JSON-RPC client for language server tests: starts the bundled server (or any command) over
 * stdio, records what the server sends (diagnostics, log messages, status, progress) and answers the
 * server's requests (workspace/configuration from `settings`, capability registration, progress creation).
 * Waiting is event-driven: `waitFor` re-checks its condition on every message and gives up with a
 * description of what was seen after a timeout. No fixed sleeps.
 *
 *   const client = await LspTestClient.start();
 *   await client.initialize({ workspaceFolders: [...] });
 *   client.open(uri, 'typescript', text);
 *   const diags = await client.waitForDiagnostics(uri, (d) => d.length > 0);
 *   await client.stop();
 */
import * as cp from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import {
  CancellationTokenSource,
  createMessageConnection,
  IPCMessageReader,
  IPCMessageWriter,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type {
  ClientCapabilities,
  CodeAction,
  CodeActionContext,
  Command,
  ConfigurationItem,
  Diagnostic,
  Hover,
  InitializeResult,
  LogMessageParams,
  Position,
  PublishDiagnosticsParams,
  Range,
  ShowDocumentParams,
  WorkspaceEdit,
  WorkspaceFolder,
} from 'vscode-languageserver/node';
import { applyWorkspaceEdit } from './workspace-edit';

export const ROOT = path.resolve(__dirname, '..', '..');
export const DIST_SERVER = path.join(ROOT, 'dist', 'server.js');
export const DIST_CLI = path.join(ROOT, 'dist', 'cli.js');

/** The newest modification time of the sources bundled into dist/. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * Builds dist/ when it is missing or older than the sources (`npm test` builds first; bare `npx mocha`
 * may not have).
 */
export function ensureBuilt(): void {
  const built = [DIST_SERVER, DIST_CLI].map((f) => (fs.existsSync(f) ? fs.statSync(f).mtimeMs : 0));
  if (Math.min(...built) > newestSource(path.join(ROOT, 'server', 'src'))) return;
  cp.execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
}

export interface StartOptions {
  /** The command and its arguments; default: node dist/server.js --stdio. */
  command?: string[];
  /** Fork this module with --node-ipc instead (what the VS Code client does). */
  ipcModule?: string;
  /** Node options of the forked IPC server (default: this process's, as child_process.fork does). */
  execArgv?: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

export interface InitializeOptions {
  /** Advertise workspace/configuration (answered from `client.settings`). Default true. */
  configuration?: boolean;
  initializationOptions?: unknown;
  locale?: string;
  workspaceFolders?: WorkspaceFolder[];
  /** Merged over the default capabilities. */
  capabilities?: ClientCapabilities;
}

export interface ProgressEvent {
  token: string | number;
  value: { kind: 'begin' | 'report' | 'end'; title?: string; message?: string; percentage?: number; cancellable?: boolean };
}

export class LspTestClient {
  /** Latest published diagnostics per URI. */
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  /** Every publishDiagnostics, in order. */
  readonly published: PublishDiagnosticsParams[] = [];
  readonly logs: LogMessageParams[] = [];
  /** `pcAdvisor/status` notifications, in order. */
  readonly statuses: Array<{ uri: string; state: string; throttledCallSites: number; findings: number; message?: string }> = [];
  readonly progress: ProgressEvent[] = [];
  /** Capability registrations the server asked for. */
  readonly registrations: Array<{ method: string; registerOptions?: unknown }> = [];
  /** workspace/configuration requests received. */
  readonly configurationRequests: ConfigurationItem[] = [];
  /** window/showDocument requests received (answered with `showDocumentResult`). */
  readonly shownDocuments: ShowDocumentParams[] = [];
  showDocumentResult = { success: true };
  /**
   * Answers workspace/configuration: the `pcAdvisor` section for a scope. Replace it (or mutate what it
   * returns) and send `didChangeConfiguration` to change settings. It may return a promise, to hold the
   * server's analysis at that point.
   */
  settings: (scopeUri: string | undefined) => unknown = () => ({});
  stderr = '';
  exitCode: number | null | undefined;

  private readonly waiters = new Set<() => void>();
  private readonly versions = new Map<string, number>();
  /** The client's copy of every open document (what an editor would show). */
  private readonly texts = new Map<string, TextDocument>();

  private constructor(
    readonly process: cp.ChildProcess,
    readonly connection: MessageConnection,
  ) {}

  static async start(options: StartOptions = {}): Promise<LspTestClient> {
    let child: cp.ChildProcess;
    let connection: MessageConnection;
    if (options.ipcModule) {
      child = cp.fork(options.ipcModule, ['--node-ipc'], { cwd: options.cwd ?? ROOT, env: options.env ?? process.env, execArgv: options.execArgv, stdio: ['pipe', 'pipe', 'pipe', 'ipc'] });
      connection = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    } else {
      const [cmd, ...args] = options.command ?? [process.execPath, DIST_SERVER, '--stdio'];
      child = cp.spawn(cmd, args, { cwd: options.cwd ?? ROOT, env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
      connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    }
    const client = new LspTestClient(child, connection);
    child.stderr!.on('data', (d: Buffer) => {
      client.stderr += d.toString();
      client.notify();
    });
    child.on('exit', (code) => {
      client.exitCode = code;
      client.notify();
    });
    connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      client.diagnostics.set(p.uri, p);
      client.published.push(p);
      client.notify();
    });
    connection.onNotification('window/logMessage', (p: LogMessageParams) => {
      client.logs.push(p);
      client.notify();
    });
    connection.onNotification('pcAdvisor/status', (p: LspTestClient['statuses'][number]) => {
      client.statuses.push(p);
      client.notify();
    });
    connection.onNotification('$/progress', (p: ProgressEvent) => {
      client.progress.push(p);
      client.notify();
    });
    connection.onRequest('workspace/configuration', (p: { items: ConfigurationItem[] }) => {
      client.configurationRequests.push(...p.items);
      client.notify();
      return Promise.all(p.items.map((item) => (item.section === 'pcAdvisor' ? client.settings(item.scopeUri) : null)));
    });
    connection.onRequest('window/showDocument', (p: ShowDocumentParams) => {
      client.shownDocuments.push(p);
      client.notify();
      return client.showDocumentResult;
    });
    connection.onRequest('client/registerCapability', (p: { registrations: Array<{ method: string; registerOptions?: unknown }> }) => {
      client.registrations.push(...p.registrations);
      client.notify();
      return null;
    });
    connection.onRequest('client/unregisterCapability', () => null);
    connection.onRequest('window/workDoneProgress/create', () => null);
    connection.onRequest('window/showMessageRequest', () => null);
    connection.onRequest('workspace/workspaceFolders', () => null);
    connection.listen();
    return client;
  }

  async initialize(options: InitializeOptions = {}): Promise<InitializeResult> {
    const capabilities: ClientCapabilities = {
      workspace: {
        configuration: options.configuration !== false,
        didChangeConfiguration: { dynamicRegistration: options.configuration !== false },
        workspaceFolders: true,
        didChangeWatchedFiles: { dynamicRegistration: true },
        workspaceEdit: { documentChanges: true },
      },
      window: { workDoneProgress: true },
      textDocument: {
        synchronization: { dynamicRegistration: false },
        hover: { contentFormat: ['markdown', 'plaintext'] },
        publishDiagnostics: { versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
      },
      ...options.capabilities,
    };
    const result = await this.connection.sendRequest<InitializeResult>('initialize', {
      processId: process.pid,
      clientInfo: { name: 'lsp-test-client' },
      locale: options.locale,
      rootUri: options.workspaceFolders?.[0]?.uri ?? null,
      workspaceFolders: options.workspaceFolders ?? null,
      capabilities,
      initializationOptions: options.initializationOptions,
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  open(uri: string, languageId: string, text: string, version = 1): void {
    this.versions.set(uri, version);
    this.texts.set(uri, TextDocument.create(uri, languageId, version, text));
    void this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  /** Sends changes (incremental with a range, full without); returns the new version. */
  change(uri: string, changes: Array<{ range?: Range; text: string }>): number {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    const doc = this.texts.get(uri);
    if (doc) this.texts.set(uri, TextDocument.update(doc, changes, version));
    void this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
    return version;
  }

  close(uri: string): void {
    this.versions.delete(uri);
    this.texts.delete(uri);
    void this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** Tells the server the settings changed (pull clients send null; push clients send the settings). */
  changeConfiguration(settings: unknown = null): void {
    void this.connection.sendNotification('workspace/didChangeConfiguration', { settings });
  }

  hover(uri: string, position: Position): Promise<Hover | null> {
    return this.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri }, position });
  }

  /** The client's text and version of an open document. */
  textOf(uri: string): { version: number; text: string } {
    const doc = this.texts.get(uri);
    if (!doc) throw new Error(`${uri} is not open`);
    return { version: doc.version, text: doc.getText() };
  }

  codeActions(uri: string, range: Range, context: CodeActionContext): Promise<Array<CodeAction | Command>> {
    return this.connection.sendRequest<Array<CodeAction | Command> | null>('textDocument/codeAction', { textDocument: { uri }, range, context }).then((r) => r ?? []);
  }

  executeCommand(command: string, args: unknown[] = []): Promise<unknown> {
    return this.connection.sendRequest('workspace/executeCommand', { command, arguments: args });
  }

  /**
   * Applies a WorkspaceEdit as an editor does (refused when made for another version), and sends the
   * result to the server as a full-text change. Returns the new text of `uri`.
   */
  applyEdit(uri: string, edit: WorkspaceEdit): string {
    const docs = new Map([...this.texts].map(([u, d]) => [u, { version: d.version, text: d.getText() }]));
    const texts = applyWorkspaceEdit(edit, docs);
    for (const [u, text] of texts) this.change(u, [{ text }]);
    return texts.get(uri) ?? this.textOf(uri).text;
  }

  /** Sends a request that can be cancelled with the returned source. */
  requestWithCancel<R>(method: string, params: unknown): { promise: Promise<R>; cancel: () => void } {
    const source = new CancellationTokenSource();
    const promise = this.connection.sendRequest<R>(method, params, source.token);
    return { promise, cancel: () => source.cancel() };
  }

  /** Resolves with check()'s first truthy value, re-checking on every message from the server. */
  waitFor<T>(what: string, check: () => T | undefined | null | false, timeoutMs = 15000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const attempt = () => {
        let v: T | undefined | null | false;
        try {
          v = check();
        } catch (e) {
          finish();
          reject(e);
          return;
        }
        if (v) {
          finish();
          resolve(v);
        } else if (this.exitCode !== undefined) {
          finish();
          reject(new Error(`waiting for ${what}: the server exited (${this.exitCode}); stderr: ${this.stderr}`));
        }
      };
      const finish = () => {
        clearTimeout(timer);
        this.waiters.delete(attempt);
      };
      timer = setTimeout(() => {
        finish();
        reject(new Error(`timed out waiting for ${what}; logs: ${JSON.stringify(this.logs.slice(-5))}; stderr: ${this.stderr.slice(-2000)}`));
      }, timeoutMs);
      this.waiters.add(attempt);
      attempt();
    });
  }

  /** The diagnostics of `uri` once published for the current version (or any, for closed files) and accepted. */
  waitForDiagnostics(uri: string, accept: (d: Diagnostic[]) => boolean = () => true, timeoutMs?: number): Promise<Diagnostic[]> {
    return this.waitFor(
      `diagnostics of ${uri}`,
      () => {
        const p = this.diagnostics.get(uri);
        if (!p) return undefined;
        const version = this.versions.get(uri);
        if (version !== undefined && p.version !== undefined && p.version !== version) return undefined;
        return accept(p.diagnostics) ? p.diagnostics : undefined;
      },
      timeoutMs,
    );
  }

  /** The first status notification for `uri` (in `state`, if given) after the first `from` ones. */
  nextStatus(uri: string, from = this.statuses.length, state?: string): Promise<LspTestClient['statuses'][number]> {
    return this.waitFor(`status ${state ?? ''} of ${uri}`, () => this.statuses.slice(from).find((s) => s.uri === uri && (!state || s.state === state)));
  }

  private notify(): void {
    for (const w of [...this.waiters]) w();
  }

  /** shutdown + exit, then waits for the process to end. */
  async stop(): Promise<number | null> {
    if (this.exitCode === undefined) {
      try {
        await this.connection.sendRequest('shutdown');
        await this.connection.sendNotification('exit');
      } catch {
        /* already gone */
      }
      await this.waitFor('the server to exit', () => this.exitCode !== undefined, 10000).catch(() => this.process.kill());
    }
    this.connection.dispose();
    return this.exitCode ?? null;
  }
}

/** `file://` URI of a path. */
export function fileUri(p: string): string {
  return pathToFileURL(p).href;
}
