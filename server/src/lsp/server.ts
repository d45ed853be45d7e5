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
 * Code actions plug in through `AdvisorServer.analysisOf(uri)` (the current findings of a document with
 * their engine document, for `EngineDocument.fixes`) and `capabilities()`.
 */
import {
  CancellationTokenSource,
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  MarkupKind,
  ProposedFeatures,
  TextDocumentSyncKind,
  WorkDoneProgressCancelNotification,
  type CancellationToken,
  type ClientCapabilities,
  type Connection,
  type Diagnostic,
  type Hover,
  type HoverParams,
  type InitializeParams,
  type InitializeResult,
  type ServerCapabilities,
  type WorkDoneProgressParams,
  type WorkspaceFolder,
} from 'vscode-languageserver/node';
import { version as VERSION } from '../../../package.json';
import { operation } from '../catalog/operations';
import { langOf } from '../catalog/text';
import { SUPPORTED_EXTENSIONS } from '../engine/adapters';
import { Engine } from '../engine/engine';
import type { AnalysisResult } from '../engine/types';
import { analyzeFile, scanFiles } from '../scan/batch';
import { compileExcludes, type PathMatcher } from '../scan/exclude';
import { isSupportedFile, walk } from '../scan/walk';
import { toDiagnostic, toDiagnostics } from './diagnostics';
import { OpenDocument } from './documents';
import { hoverFor } from './hover';
import {
  DIAGNOSTIC_SOURCE,
  ScanWorkspaceRequest,
  SETTINGS_SECTION,
  StatusNotification,
  type InitializationOptions,
  type ScanWorkspaceParams,
  type ScanWorkspaceResult,
  type Settings,
  type StatusParams,
} from './protocol';
import { engineOptions, validateSettings } from './settings';
import { pathToUri, relativeInside, uriToPath } from './uri';

/** Pause after the last keystroke before analysing (analysis itself takes milliseconds). */
export const DEBOUNCE_MS = 150;
/** How long a workspace scan runs before letting other messages (edits, hovers, cancellation) through. */
const SCAN_SLICE_MS = 15;
/** Minimum interval between two progress reports of a scan. */
const PROGRESS_INTERVAL_MS = 100;

interface ScanState {
  source: CancellationTokenSource;
  workDoneToken?: string | number;
}

export class AdvisorServer {
  /** Open documents by URI. */
  readonly documents = new Map<string, OpenDocument>();
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
  private scan: ScanState | undefined;
  /** Closed files the last workspace scan covered (their diagnostics come from disk). */
  private readonly scannedFiles = new Set<string>();
  /** Closed files with diagnostics currently published by a scan. */
  private readonly scanPublished = new Set<string>();
  private watcherRegistered = false;

  constructor(readonly connection: Connection) {
    const c = connection;
    c.onInitialize((p) => this.initialize(p));
    c.onInitialized(() => void this.guard('initialized', () => this.initialized()));
    c.onDidOpenTextDocument((p) => void this.guard('didOpen', () => this.didOpen(p.textDocument)));
    c.onDidChangeTextDocument((p) =>
      void this.guard('didChange', () => this.didChange(p.textDocument.uri, p.textDocument.version, p.contentChanges)),
    );
    c.onDidCloseTextDocument((p) => void this.guard('didClose', () => this.didClose(p.textDocument.uri)));
    c.onDidChangeConfiguration((p) => void this.guard('didChangeConfiguration', () => this.configurationChanged(p.settings)));
    c.onDidChangeWatchedFiles((p) => void this.guard('didChangeWatchedFiles', () => this.watchedFilesChanged(p.changes)));
    c.onHover((p, token) => this.guard('hover', () => this.hover(p, token), null));
    c.onRequest(ScanWorkspaceRequest, (p: ScanWorkspaceParams & WorkDoneProgressParams, token: CancellationToken) =>
      this.guard('scanWorkspace', () => this.scanWorkspace(p ?? {}, token), { files: 0, findings: 0, cancelled: true }),
    );
    c.onShutdown(() => this.shutdown());
  }

  // ---- plumbing ----------------------------------------------------------------------------------------

  /** Runs a handler; an exception is logged to the client and `fallback` returned. */
  async guard<T>(what: string, fn: () => T | Promise<T>, fallback?: T): Promise<T> {
    try {
      return await fn();
    } catch (e) {
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

  /** What the server offers; a code-action provider is added here. */
  capabilities(): ServerCapabilities {
    return {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      hoverProvider: true,
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
    this.connection.onNotification(WorkDoneProgressCancelNotification.type, (p) => {
      if (this.scan && this.scan.workDoneToken !== undefined && this.scan.workDoneToken === p.token) this.scan.source.cancel();
    });
    // Grammars load on first use; warm the common ones while the client is still starting.
    void this.guard('warm-up', () => new Engine().analyzeText('customers', 'warm.ts'));
  }

  private shutdown(): void {
    this.scan?.source.cancel();
    for (const d of this.documents.values()) d.dispose();
    this.documents.clear();
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
    this.refreshScanned([...this.scannedFiles]);
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
    for (const f of this.folders) {
      const folder = uriToPath(f.uri);
      const rel = folder && relativeInside(folder, file);
      if (rel && m(rel)) return true;
    }
    return m(file.replace(/\\/g, '/').replace(/^\//, ''));
  }

  // ---- documents ---------------------------------------------------------------------------------------

  private didOpen(td: { uri: string; languageId: string; version: number; text: string }): void {
    this.documents.get(td.uri)?.dispose();
    const doc = new OpenDocument(td.uri, td.languageId, td.version, td.text, (e) => this.logError(`opening ${td.uri}`, e));
    this.documents.set(td.uri, doc);
    this.scanPublished.delete(td.uri);
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
    // A file the workspace scan covers goes back to its results on disk; others lose their diagnostics.
    if (this.scannedFiles.has(uri)) this.refreshScanned([uri], true);
    else this.publish(uri, []);
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
    if (!settings.enable) state = 'disabled';
    else if (this.excluded(doc.uri, settings)) state = 'excluded';
    else if (!doc.supported) return; // a language the engine does not analyse: nothing to say
    else {
      try {
        doc.engine.configure(engineOptions(settings, this.locale));
        result = doc.engineDocument!.analyze();
        if (result.skipped && result.findings.length === 0) state = 'skipped';
      } catch (e) {
        this.logError(`analysing ${doc.uri}`, e);
        state = 'error';
      }
    }
    doc.last = { version, state, result, settings };
    this.publish(doc.uri, result ? toDiagnostics(result) : [], version);
    this.sendStatus({
      uri: doc.uri,
      state,
      throttledCallSites: result ? throttledCallSites(result) : 0,
      findings: result?.findings.length ?? 0,
      message: result?.skipped,
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
    if (!a || token.isCancellationRequested) return null;
    const offset = a.doc.offsetAt(params.position);
    return hoverFor(a.result, a.doc.text, offset, langOf(this.locale), this.hoverFormat);
  }

  private publish(uri: string, diagnostics: Diagnostic[], version?: number): void {
    void this.connection.sendDiagnostics({ uri, diagnostics, version }).catch((e) => this.logError('publishDiagnostics', e));
  }

  private sendStatus(p: StatusParams): void {
    void this.connection.sendNotification(StatusNotification, p).catch((e) => this.logError('status', e));
  }

  // ---- workspace scan ----------------------------------------------------------------------------------

  private async scanWorkspace(params: ScanWorkspaceParams & WorkDoneProgressParams, token: CancellationToken): Promise<ScanWorkspaceResult> {
    // A new scan replaces a running one.
    this.scan?.source.cancel();
    const source = new CancellationTokenSource();
    const state: ScanState = { source, workDoneToken: params.workDoneToken };
    this.scan = state;
    const onCancel = token.onCancellationRequested(() => source.cancel());
    const progress = this.connection.window.attachWorkDoneProgress(params.workDoneToken);
    const result: ScanWorkspaceResult & { skipped: number } = { files: 0, findings: 0, cancelled: false, skipped: 0 };
    try {
      const folderUris = params.folders && params.folders.length > 0 ? params.folders : this.folders.map((f) => f.uri);
      progress.begin('Partner Center Advisor', 0, 'Listing files…', true);

      // List first (cheap), so that progress can say how far along the scan is.
      const jobs: { engine: Engine; settings: Settings; files: string[] }[] = [];
      let total = 0;
      let slice = performance.now();
      for (const folderUri of folderUris) {
        const folder = uriToPath(folderUri);
        if (!folder) {
          this.connection.console.warn(`Scan: ${folderUri} is not a folder on disk; skipped.`);
          continue;
        }
        const settings = await this.settingsFor(folderUri);
        if (!settings.enable) continue;
        const exclude = compileExcludes(settings.exclude);
        const files: string[] = [];
        for (const entry of walk([folder], { exclude, excludeBase: folder })) {
          if (entry.kind === 'file') files.push(entry.path);
          else if (entry.kind === 'error') this.connection.console.warn(`Scan: cannot read ${entry.path}: ${entry.message}`);
          if (performance.now() - slice > SCAN_SLICE_MS) {
            await new Promise<void>((r) => setImmediate(r));
            slice = performance.now();
            if (source.token.isCancellationRequested) break;
          }
        }
        if (source.token.isCancellationRequested) break;
        jobs.push({ engine: new Engine(engineOptions(settings, this.locale)), settings, files });
        total += files.length;
      }

      const seen = new Set<string>();
      let lastReport = 0;
      for (const job of jobs) {
        if (source.token.isCancellationRequested) break;
        const open: string[] = [];
        const closed: string[] = [];
        for (const f of job.files) {
          const uri = pathToUri(f);
          if (seen.has(uri)) continue; // nested workspace folders
          seen.add(uri);
          (this.documents.has(uri) ? open : closed).push(f);
        }
        // Open documents have their live analysis.
        for (const f of open) {
          const doc = this.documents.get(pathToUri(f));
          result.files++;
          result.findings += doc?.last?.result?.findings.length ?? 0;
        }
        for await (const a of scanFiles(job.engine, closed, { token: source.token, yieldEveryMs: SCAN_SLICE_MS })) {
          const uri = pathToUri(a.path);
          result.files++;
          if (a.error) {
            this.connection.console.warn(`Scan: cannot read ${a.path}: ${a.error}`);
            continue;
          }
          if (a.result.skipped && a.result.findings.length === 0) result.skipped++;
          result.findings += a.result.findings.length;
          // The document may have been opened during the scan: its live analysis wins.
          if (this.documents.has(uri)) continue;
          this.scannedFiles.add(uri);
          this.publishScanned(uri, a.result);
          const now = performance.now();
          if (now - lastReport >= PROGRESS_INTERVAL_MS) {
            lastReport = now;
            progress.report(total ? Math.min(100, Math.floor((result.files / total) * 100)) : 100, `${result.files}/${total} files`);
          }
        }
      }
      result.cancelled = source.token.isCancellationRequested;
      if (!result.cancelled) await this.registerWatcher();
      this.connection.console.info(
        `Scan ${result.cancelled ? 'cancelled' : 'done'}: ${result.files} files, ${result.findings} findings${result.skipped ? `, ${result.skipped} skipped` : ''}.`,
      );
      return result;
    } finally {
      onCancel.dispose();
      progress.done();
      if (this.scan === state) this.scan = undefined;
      source.dispose();
    }
  }

  /**
   * Publishes a closed file's findings. A scan stays quiet about files without findings (it covers
   * thousands) unless they had some before, or `force` (the file was just closed: its live diagnostics go).
   */
  private publishScanned(uri: string, result: AnalysisResult, force = false): void {
    if (result.findings.length > 0) {
      this.scanPublished.add(uri);
      this.publish(uri, result.findings.map(toDiagnostic));
    } else if (this.scanPublished.delete(uri) || force) {
      this.publish(uri, []);
    }
  }

  /** Re-analyses closed files covered by the scan from disk (after a close, a settings change, a file event). */
  private refreshScanned(uris: string[], force = false): void {
    for (const uri of uris) {
      if (this.documents.has(uri)) continue;
      const file = uriToPath(uri);
      if (!file) continue;
      void this.guard('refresh', async () => {
        const settings = await this.settingsFor(uri);
        if (this.documents.has(uri)) return;
        if (!settings.enable || this.excluded(uri, settings)) {
          if (this.scanPublished.delete(uri) || force) this.publish(uri, []);
          return;
        }
        const a = await analyzeFile(new Engine(engineOptions(settings, this.locale)), file);
        if (this.documents.has(uri)) return; // opened meanwhile: the live analysis publishes
        if (a.error) {
          // Deleted or unreadable: nothing to show any more.
          this.scannedFiles.delete(uri);
          if (this.scanPublished.delete(uri) || force) this.publish(uri, []);
          return;
        }
        this.publishScanned(uri, a.result, force);
      });
    }
  }

  /** After a scan, follow changes to files on disk (when the client can watch files for us). */
  private async registerWatcher(): Promise<void> {
    if (this.watcherRegistered || !this.capabilitiesOfClient.workspace?.didChangeWatchedFiles?.dynamicRegistration) return;
    this.watcherRegistered = true;
    const exts = SUPPORTED_EXTENSIONS.map((e) => e.slice(1)).join(',');
    try {
      await this.connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: `**/*.{${exts}}` }] });
    } catch (e) {
      this.watcherRegistered = false;
      this.logError('registering the file watcher', e);
    }
  }

  private watchedFilesChanged(changes: { uri: string; type: FileChangeType }[]): void {
    const refresh: string[] = [];
    for (const ch of changes) {
      if (this.documents.has(ch.uri)) continue;
      if (ch.type === FileChangeType.Deleted) {
        this.scannedFiles.delete(ch.uri);
        if (this.scanPublished.delete(ch.uri)) this.publish(ch.uri, []);
        continue;
      }
      const file = uriToPath(ch.uri);
      if (!file || !isSupportedFile(file)) continue;
      // Only once a scan has covered the workspace: otherwise closed files have no diagnostics at all.
      if (this.scannedFiles.has(ch.uri) || (this.scannedFiles.size > 0 && ch.type === FileChangeType.Created)) {
        this.scannedFiles.add(ch.uri);
        refresh.push(ch.uri);
      }
    }
    this.refreshScanned(refresh);
  }
}

/** Recognised calls to throttled operations (flagged or covered by a retry). */
export function throttledCallSites(result: AnalysisResult): number {
  let n = 0;
  for (const r of result.recognitions) if (operation(r.operation)?.throttled) n++;
  return n;
}

/** The transports the command line may name; vscode-languageserver reads them from process.argv. */
export function hasTransport(argv: readonly string[]): boolean {
  return argv.some((a) => a === '--stdio' || a === '--node-ipc' || /^--(socket|pipe)(=|$)/.test(a));
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
