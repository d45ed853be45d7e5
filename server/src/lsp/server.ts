/**
 * The language server: a thin LSP layer over the engine. One module for both entry points (dist/server.js
 * and `pc-advisor lsp`); the transport (`--stdio`, `--node-ipc`, `--socket=N`, `--pipe=NAME`) comes from
 * the command line.
 *
 * - Documents are synced incrementally; each open document keeps an engine document (and its tree).
 *   Analysis is debounced per document, and results are published only for the version they were made for.
 * - Settings are pulled per document scope with `workspace/configuration` when the client can answer it,
 *   else taken from `initializationOptions.settings` and `workspace/didChangeConfiguration`.
 * - No handler lets an exception escape: failures are logged to the client (window/logMessage).
 *
 * - Code actions (codeActions.ts) are built from `analysisOf(uri)`, the analysis of the document's current
 *   version, with edits versioned for that version; documentation opens through a server command.
 */
import {
  createConnection,
  DidChangeConfigurationNotification,
  ErrorCodes,
  LSPErrorCodes,
  MarkupKind,
  ProposedFeatures,
  ResponseError,
  TextDocumentSyncKind,
  WorkDoneProgressCancelNotification,
  type CancellationToken,
  type ClientCapabilities,
  type CodeAction,
  type CodeActionParams,
  type Connection,
  type Diagnostic,
  type ExecuteCommandParams,
  type Hover,
  type HoverParams,
  type InitializeParams,
  type InitializeResult,
  type ServerCapabilities,
  type WorkDoneProgressParams,
  type WorkspaceFolder,
} from 'vscode-languageserver/node';
import { version as VERSION } from '../../../package.json';
import { DOCS_BASE, operation } from '../catalog/operations';
import { langOf, type Lang } from '../catalog/text';
import { Engine } from '../engine/engine';
import type { AnalysisResult } from '../engine/types';
import { compileExcludes, type PathMatcher } from '../scan/exclude';
import { CODE_ACTION_KINDS, codeActions, OPEN_DOCS_COMMAND, type CodeActionContext } from './codeActions';
import { toDiagnostics } from './diagnostics';
import { engineLanguageId, OpenDocument } from './documents';
import { hoverFor } from './hover';
import {
  DIAGNOSTIC_SOURCE,
  ScanWorkspaceRequest,
  SETTINGS_SECTION,
  StatusNotification,
  type InitializationOptions,
  type ScanWorkspaceParams,
  type Settings,
  type StatusParams,
} from './protocol';
import { engineOptions, validateSettings } from './settings';
import { relativeInside, uriToPath } from './uri';
import { WorkspaceScanner } from './workspace';

/** Pause after the last keystroke before analysing (analysis itself takes milliseconds). */
export const DEBOUNCE_MS = 150;

export class AdvisorServer {
  /** Open documents by URI. */
  readonly documents = new Map<string, OpenDocument>();
  /** Open documents by file path (clients spell file URIs differently; the scan lists paths). */
  private readonly openPaths = new Map<string, OpenDocument>();
  private locale = 'en';
  private capabilitiesOfClient: ClientCapabilities = {};
  private pullConfiguration = false;
  /** Settings from initializationOptions / didChangeConfiguration (clients that cannot be asked). */
  private pushedSettings: unknown = undefined;
  private readonly settingsCache = new Map<string, Promise<Settings>>();
  /** Settings problems already reported since the configuration last changed (each is reported once). */
  private readonly reported = new Set<string>();
  private readonly excludeMatchers = new WeakMap<Settings, PathMatcher>();
  private folders: WorkspaceFolder[] = [];
  private hoverFormat: MarkupKind = MarkupKind.Markdown;
  private readonly workspace: WorkspaceScanner;

  constructor(readonly connection: Connection) {
    this.workspace = new WorkspaceScanner({
      connection,
      folderUris: () => this.folders.map((f) => f.uri),
      settingsFor: (uri) => this.settingsFor(this.scopeOf(uri)),
      excluded: (uri, settings) => this.excluded(uri, settings),
      engineFor: (settings) => new Engine(engineOptions(settings, this.locale)),
      openAt: (file) => this.openPaths.get(file),
      publish: (uri, diagnostics, version) => this.publish(uri, diagnostics, version),
      logError: (what, e) => this.logError(what, e),
      canWatchFiles: () => !!this.capabilitiesOfClient.workspace?.didChangeWatchedFiles?.dynamicRegistration,
    });
    const c = connection;
    c.onInitialize((p) => {
      try {
        return this.initialize(p);
      } catch (e) {
        this.logError('initialize', e);
        return { capabilities: this.capabilities(), serverInfo: { name: DIAGNOSTIC_SOURCE, version: VERSION } };
      }
    });
    c.onInitialized(() => void this.guard('initialized', () => this.initialized()));
    c.onDidOpenTextDocument((p) => void this.guard('didOpen', () => this.didOpen(p.textDocument)));
    c.onDidChangeTextDocument((p) =>
      void this.guard('didChange', () => this.didChange(p.textDocument.uri, p.textDocument.version, p.contentChanges)),
    );
    c.onDidCloseTextDocument((p) => void this.guard('didClose', () => this.didClose(p.textDocument.uri)));
    c.onDidChangeConfiguration((p) => void this.guard('didChangeConfiguration', () => this.configurationChanged(p.settings)));
    c.onDidChangeWatchedFiles((p) => void this.guard('didChangeWatchedFiles', () => this.workspace.filesChanged(p.changes)));
    c.onHover((p, token) => this.guard('hover', () => this.hover(p, token), null));
    c.onCodeAction((p, token) => this.guard('codeAction', () => this.codeAction(p, token), []));
    c.onExecuteCommand((p) => this.guard('executeCommand', () => this.executeCommand(p), null));
    c.onRequest(ScanWorkspaceRequest, (p: ScanWorkspaceParams & WorkDoneProgressParams, token: CancellationToken) =>
      this.guard('scanWorkspace', () => this.workspace.scan(p ?? {}, token), { files: 0, findings: 0, cancelled: true }),
    );
    c.onShutdown(() => this.shutdown());
  }

  // ---- plumbing ----------------------------------------------------------------------------------------

  /** The language of messages, hovers and fix titles (from the client's locale). */
  get lang(): Lang {
    return langOf(this.locale);
  }

  /**
   * Runs a handler; an exception is logged to the client and `fallback` returned. A ResponseError (a
   * cancelled request, invalid parameters) is the answer itself and goes back to the client as is.
   */
  async guard<T>(what: string, fn: () => T | Promise<T>, fallback?: T): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof ResponseError) throw e;
      this.logError(`${what} failed`, e);
      return fallback as T;
    }
  }

  logError(what: string, e: unknown): void {
    try {
      this.connection.console.error(`${what}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    } catch {
      /* the connection is gone */
    }
  }

  /** What the server offers. */
  capabilities(): ServerCapabilities {
    return {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      hoverProvider: true,
      codeActionProvider: { codeActionKinds: CODE_ACTION_KINDS, resolveProvider: false },
      executeCommandProvider: { commands: [OPEN_DOCS_COMMAND] },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    };
  }

  private initialize(params: InitializeParams): InitializeResult {
    const init = (params.initializationOptions ?? {}) as InitializationOptions;
    this.capabilitiesOfClient = params.capabilities ?? {};
    this.locale = (typeof init.locale === 'string' && init.locale) || params.locale || 'en';
    this.pullConfiguration = !!this.capabilitiesOfClient.workspace?.configuration;
    this.pushedSettings = init.settings;
    const formats = this.capabilitiesOfClient.textDocument?.hover?.contentFormat;
    this.hoverFormat = !formats || formats.includes(MarkupKind.Markdown) ? MarkupKind.Markdown : MarkupKind.PlainText;
    if (params.workspaceFolders) this.folders = params.workspaceFolders;
    else if (params.rootUri) this.folders = [{ uri: params.rootUri, name: params.rootUri }];
    return { capabilities: this.capabilities(), serverInfo: { name: DIAGNOSTIC_SOURCE, version: VERSION } };
  }

  private initialized(): void {
    const caps = this.capabilitiesOfClient;
    if (this.pullConfiguration && caps.workspace?.didChangeConfiguration?.dynamicRegistration) {
      void this.connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION }).catch((e) => this.logError('registering for configuration changes', e));
    }
    if (caps.workspace?.workspaceFolders) {
      this.connection.workspace.onDidChangeWorkspaceFolders((e) =>
        void this.guard('didChangeWorkspaceFolders', () => {
          const removed = new Set(e.removed.map((f) => f.uri));
          this.folders = [...this.folders.filter((f) => !removed.has(f.uri)), ...e.added];
          this.configurationChanged(undefined);
        }),
      );
    }
    // The client's "cancel" button on the scan's progress (the token it gave with the request).
    this.connection.onNotification(WorkDoneProgressCancelNotification.type, (p) => this.workspace.cancelProgress(p.token));
    // Grammars load on first use; warm the common ones while the client is still starting.
    void this.guard('warm-up', () => new Engine().analyzeText('customers', 'warm.ts'));
  }

  private shutdown(): void {
    this.workspace.cancel();
    for (const d of this.documents.values()) d.dispose();
    this.documents.clear();
    this.openPaths.clear();
  }

  // ---- settings ----------------------------------------------------------------------------------------

  /** The validated settings for a document or folder URI (problems are reported once). */
  settingsFor(uri: string | undefined): Promise<Settings> {
    const key = uri ?? '';
    let p = this.settingsCache.get(key);
    if (!p) {
      p = this.fetchSettings(uri);
      this.settingsCache.set(key, p);
    }
    return p;
  }

  /**
   * The scope to ask settings for about a closed file: its (innermost) workspace folder, so that a scan
   * of thousands of files asks once per folder. Open documents are asked about with their own URI.
   */
  private scopeOf(uri: string): string {
    const file = uriToPath(uri);
    let best: { uri: string; length: number } | undefined;
    for (const f of this.folders) {
      const folder = uriToPath(f.uri);
      if (file && folder && relativeInside(folder, file) && (!best || folder.length > best.length)) best = { uri: f.uri, length: folder.length };
    }
    return best?.uri ?? uri;
  }

  private async fetchSettings(uri: string | undefined): Promise<Settings> {
    let raw: unknown = this.pushedSettings;
    if (this.pullConfiguration) {
      try {
        const pulled: unknown = await this.connection.workspace.getConfiguration({ scopeUri: uri, section: SETTINGS_SECTION });
        if (pulled !== null && pulled !== undefined) raw = pulled;
      } catch (e) {
        this.logError('workspace/configuration', e);
      }
    }
    const { settings, problems } = validateSettings(raw);
    for (const p of problems) {
      if (this.reported.has(p)) continue;
      this.reported.add(p);
      this.connection.console.warn(p);
    }
    return settings;
  }

  private configurationChanged(settings: unknown): void {
    if (!this.pullConfiguration && settings !== undefined) {
      const s = settings as Record<string, unknown> | null;
      this.pushedSettings = s && typeof s === 'object' && SETTINGS_SECTION in s ? s[SETTINGS_SECTION] : this.pushedSettings;
    }
    this.settingsCache.clear();
    this.reported.clear();
    for (const doc of this.documents.values()) this.schedule(doc, 0);
    this.workspace.settingsChanged();
  }

  private excluded(uri: string, settings: Settings): boolean {
    if (settings.exclude.length === 0) return false;
    let m = this.excludeMatchers.get(settings);
    if (!m) {
      m = compileExcludes(settings.exclude, (p, err) => this.connection.console.warn(`Setting ${SETTINGS_SECTION}.exclude: invalid pattern ${JSON.stringify(p)} (${err}); ignored.`));
      this.excludeMatchers.set(settings, m);
    }
    const file = uriToPath(uri);
    if (!file) return false;
    // Relative to the (innermost) workspace folder holding the file; else the absolute path.
    let rel: string | undefined;
    for (const f of this.folders) {
      const folder = uriToPath(f.uri);
      const r = folder && relativeInside(folder, file);
      if (r && (rel === undefined || r.length < rel.length)) rel = r;
    }
    return m(rel ?? file.replace(/\\/g, '/').replace(/^\/+/, ''));
  }

  // ---- documents ---------------------------------------------------------------------------------------

  private didOpen(td: { uri: string; languageId: string; version: number; text: string }): void {
    this.documents.get(td.uri)?.dispose();
    const doc = new OpenDocument(td.uri, td.languageId, td.version, td.text, (e) => this.logError(`opening ${td.uri}`, e));
    this.documents.set(td.uri, doc);
    const file = uriToPath(td.uri);
    if (file) {
      this.openPaths.set(file, doc);
      this.workspace.opened(file);
    }
    this.schedule(doc, 0);
  }

  private didChange(uri: string, version: number, changes: Parameters<OpenDocument['applyChanges']>[0]): void {
    const doc = this.documents.get(uri);
    if (!doc) {
      this.connection.console.warn(`didChange for a document that is not open: ${uri}`);
      return;
    }
    if (!doc.applyChanges(changes, version)) this.connection.console.warn(`${uri}: the engine's copy of the text went out of sync; re-synchronised.`);
    this.schedule(doc, DEBOUNCE_MS);
  }

  private didClose(uri: string): void {
    const doc = this.documents.get(uri);
    if (doc) {
      doc.dispose();
      this.documents.delete(uri);
    }
    this.publish(uri, []);
    this.settingsCache.delete(uri);
    const file = uriToPath(uri);
    if (file && this.openPaths.get(file) === doc) {
      this.openPaths.delete(file);
      // A file a workspace scan covered goes back to its contents on disk.
      this.workspace.closed(file);
    }
  }

  /** Analyses the document after `delay` ms (a newer request replaces an older one). */
  schedule(doc: OpenDocument, delay: number): void {
    clearTimeout(doc.timer);
    const generation = ++doc.generation;
    doc.timer = setTimeout(() => void this.guard('analysis', () => this.analyze(doc, generation)), delay);
  }

  private async analyze(doc: OpenDocument, generation: number): Promise<void> {
    const current = () => !doc.closed && doc.generation === generation;
    await doc.ready;
    if (!current()) return;
    const settings = await this.settingsFor(doc.uri);
    if (!current()) return;
    // From here on everything is synchronous: the version cannot change before publishing.
    const version = doc.version;
    let state: StatusParams['state'] = 'ok';
    let result: AnalysisResult | undefined;
    let error = doc.openError;
    if (!settings.enable) state = 'disabled';
    else if (this.excluded(doc.uri, settings)) state = 'excluded';
    else if (doc.openError) state = 'error';
    else if (!doc.supported) return; // a language the engine does not analyse: nothing to say
    else {
      try {
        doc.engine.configure(engineOptions(settings, this.locale));
        result = doc.engineDocument!.analyze();
        if (result.skipped && result.findings.length === 0) state = 'skipped';
      } catch (e) {
        this.logError(`analysing ${doc.uri}`, e);
        state = 'error';
        error = e instanceof Error ? e.message : String(e);
      }
    }
    doc.last = { version, state, result, settings };
    this.publish(doc.uri, result ? toDiagnostics(result) : [], version);
    this.sendStatus({
      uri: doc.uri,
      state,
      throttledCallSites: result ? throttledCallSites(result) : 0,
      findings: result?.findings.length ?? 0,
      message: result?.skipped ?? (state === 'error' ? error : undefined),
    });
  }

  /** The current analysis of an open document, for hovers and code actions (undefined when not analysed). */
  async analysisOf(uri: string): Promise<{ doc: OpenDocument; result: AnalysisResult } | undefined> {
    const doc = this.documents.get(uri);
    if (!doc) return undefined;
    await doc.ready;
    if (doc.closed || !doc.supported) return undefined;
    const settings = await this.settingsFor(uri);
    if (doc.closed || !settings.enable || this.excluded(uri, settings)) return undefined;
    doc.engine.configure(engineOptions(settings, this.locale));
    const result = doc.currentResult(settings);
    return result ? { doc, result } : undefined;
  }

  private async hover(params: HoverParams, token: CancellationToken): Promise<Hover | null> {
    const a = await this.analysisOf(params.textDocument.uri);
    throwIfCancelled(token);
    if (!a) return null;
    const offset = a.doc.offsetAt(params.position);
    return hoverFor(a.result, a.doc.text, offset, this.lang, this.hoverFormat);
  }

  /**
   * Quick fixes and fix-all for the current version of a document. The edits are versioned (the client
   * refuses them once the document changed), and actions computed while the document changed are dropped.
   */
  private async codeAction(params: CodeActionParams, token: CancellationToken): Promise<CodeAction[]> {
    const a = await this.analysisOf(params.textDocument.uri);
    throwIfCancelled(token);
    const doc = a?.doc;
    if (!a || !doc?.engineDocument) return [];
    const version = doc.version;
    const ctx: CodeActionContext = {
      uri: doc.uri,
      version,
      doc: doc.engineDocument,
      result: a.result,
      lang: this.lang,
      fixAll: (text) => doc.engine.fixAll(text, doc.fileName, engineLanguageId(doc.languageId)),
      documentChanges: !!this.capabilitiesOfClient.workspace?.workspaceEdit?.documentChanges,
    };
    const actions = await codeActions(ctx, params);
    throwIfCancelled(token);
    // The document changed while the fix-all ran: these edits are for an older version.
    if (doc.closed || doc.version !== version || this.documents.get(doc.uri) !== doc) return [];
    return actions;
  }

  /** `pcAdvisor.server.openDocs [url]`: opens a documentation page in the browser (window/showDocument). */
  private async executeCommand(params: ExecuteCommandParams): Promise<null> {
    if (params.command !== OPEN_DOCS_COMMAND) throw new ResponseError(ErrorCodes.InvalidParams, `Unknown command: ${params.command}`);
    const url = params.arguments?.[0];
    // Only the Partner Center documentation: a command is something any client (or extension) can call.
    if (typeof url !== 'string' || !url.startsWith(DOCS_BASE) || /\s/.test(url)) {
      throw new ResponseError(ErrorCodes.InvalidParams, `${OPEN_DOCS_COMMAND}: not a Partner Center documentation page: ${JSON.stringify(url)}`);
    }
    if (this.capabilitiesOfClient.window?.showDocument?.support) {
      const shown = await this.connection.window.showDocument({ uri: url, external: true });
      if (shown.success) return null;
    }
    this.connection.console.info(`Partner Center documentation: ${url}`);
    return null;
  }

  private publish(uri: string, diagnostics: Diagnostic[], version?: number): void {
    void this.connection.sendDiagnostics({ uri, diagnostics, version }).catch((e) => this.logError('publishDiagnostics', e));
  }

  private sendStatus(p: StatusParams): void {
    void this.connection.sendNotification(StatusNotification, p).catch((e) => this.logError('status', e));
  }
}

/** Answers a cancelled request with RequestCancelled (LSP: the response to a cancelled request). */
function throwIfCancelled(token: CancellationToken): void {
  if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'Request cancelled');
}

/** Recognised calls to throttled operations (flagged or covered by a retry). */
export function throttledCallSites(result: AnalysisResult): number {
  let n = 0;
  for (const r of result.recognitions) if (operation(r.operation)?.throttled) n++;
  return n;
}

/**
 * Starts the server on the transport named on the command line. Never returns an error to the process:
 * unexpected exceptions are logged to the client and the server keeps running.
 */
export function startLanguageServer(): AdvisorServer {
  const connection = createConnection(ProposedFeatures.all);
  const server = new AdvisorServer(connection);
  process.on('uncaughtException', (e) => server.logError('uncaught exception', e));
  process.on('unhandledRejection', (e) => server.logError('unhandled rejection', e));
  connection.listen();
  return server;
}
