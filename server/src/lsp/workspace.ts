/**
 * Diagnostics of closed files: the workspace scan (`pcAdvisor/scanWorkspace`), and keeping its results
 * current afterwards (a scanned file closed again goes back to its contents on disk; changes on disk reported
 * by the client's file watcher are re-analysed; settings changes re-analyse what the scan covered).
 *
 * Files are keyed by path, not by URI string: clients spell URIs differently (`file:///c%3A/…`, `@` escaped
 * or not), and the same file must never get both live and scan diagnostics.
 *
 * A scan of thousands of files lists and analyses them in a worker thread (scan/pool.ts) that exits when the scan
 * ends or is cancelled: their parse trees, heap and WebAssembly memory leave with it instead of staying in the
 * server, which publishes what the worker sends. Smaller scans, and all scans without the worker bundle (running
 * from sources), analyse here, in slices. Later re-analyses of single files stay in this thread.
 */
import {
  CancellationTokenSource,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  type CancellationToken,
  type Connection,
  type Diagnostic,
  type FileEvent,
  type WorkDoneProgressParams,
} from 'vscode-languageserver/node';
import * as os from 'os';
import { SUPPORTED_EXTENSIONS } from '../engine/adapters';
import type { Engine } from '../engine/engine';
import type { AnalysisResult, Finding } from '../engine/types';
import { analyzeFile, scanFiles } from '../scan/batch';
import { compileExcludes } from '../scan/exclude';
import { toOutcome, type ScanFinding, type ScanOutcome } from '../scan/outcome';
import { ScanPool } from '../scan/pool';
import { isSupportedFile, SKIPPED_DIRS, walk } from '../scan/walk';
import { toDiagnostic } from './diagnostics';
import type { ScanWorkspaceParams, ScanWorkspaceResult, Settings } from './protocol';
import { pathToUri, relativeInside, uriToPath } from './uri';

/** How long scan work runs before letting other messages (edits, hovers, cancellation) through. */
export const SLICE_MS = 15;
/** Minimum interval between two progress reports. */
const PROGRESS_INTERVAL_MS = 100;
/**
 * A workspace scan with more files than this analyses them in a worker thread. Below, the scan leaves little
 * behind in the server, and a worker would leave more (measured with 50 documents open: 400 files, 98 MB in the
 * server, 113 MB with a worker; 10,000 files, 150 MB in the server, 136 MB with a worker).
 */
export const WORKER_MIN_FILES = 2000;

/**
 * Worker threads of a workspace scan: one, or two on machines with more than two cores (a core stays free for
 * this thread, which answers the editor while the scan runs).
 */
export function scanWorkers(): number {
  return Math.min(2, Math.max(1, os.availableParallelism() - 1));
}

/** What the scanner needs from the server. */
export interface ScanHost {
  readonly connection: Connection;
  /** Workspace folder URIs. */
  folderUris(): string[];
  /** Settings for a folder or a closed file (asked at the folder's scope). */
  settingsFor(uri: string): Promise<Settings>;
  excluded(uri: string, settings: Settings): boolean;
  /** A one-shot engine for these settings. */
  engineFor(settings: Settings): Engine;
  /** The open document at this path, if any (its live analysis wins). */
  openAt(file: string): { last?: { result?: AnalysisResult } } | undefined;
  publish(uri: string, diagnostics: Diagnostic[], version?: number): void;
  logError(what: string, e: unknown): void;
  /** The client can register file watchers dynamically. */
  canWatchFiles(): boolean;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export class WorkspaceScanner {
  /** Closed files the scans covered, and whether diagnostics are published for them now. */
  private readonly covered = new Map<string, boolean>();
  private current: { source: CancellationTokenSource; workDoneToken?: string | number } | undefined;
  private readonly refreshQueue = new Set<string>();
  private refreshing = false;
  private watching = false;

  constructor(private readonly host: ScanHost) {}

  /** Runs a scan; a new scan cancels a running one. Honours cancellation between files. */
  async scan(params: ScanWorkspaceParams & WorkDoneProgressParams, token: CancellationToken): Promise<ScanWorkspaceResult> {
    const { connection } = this.host;
    this.current?.source.cancel();
    const source = new CancellationTokenSource();
    const state = { source, workDoneToken: params.workDoneToken };
    this.current = state;
    const onCancel = token.onCancellationRequested(() => source.cancel());
    const cancelled = () => source.token.isCancellationRequested;
    const progress = connection.window.attachWorkDoneProgress(params.workDoneToken);
    const result: ScanWorkspaceResult & { skipped: number } = { files: 0, findings: 0, cancelled: false, skipped: 0 };
    let pool: ScanPool | undefined;
    let lastReport = 0;
    let total = 0;
    const analysed = (a: ScanOutcome) => {
      result.files++;
      if (a.error) {
        connection.console.warn(`Scan: cannot read ${a.path}: ${a.error}`);
      } else {
        if (a.skipped && a.findings.length === 0) result.skipped++;
        result.findings += a.findings.length;
        // Opened during the scan: the live analysis wins.
        if (!this.host.openAt(a.path)) this.show(a.path, a.findings);
      }
      const now = performance.now();
      if (now - lastReport >= PROGRESS_INTERVAL_MS) {
        lastReport = now;
        progress.report(total ? Math.min(100, Math.floor((result.files / total) * 100)) : 100, `${result.files}/${total} files`);
      }
    };
    try {
      progress.begin('Partner Center Advisor', 0, 'Listing files…', true);
      // Each folder is listed before its files are analysed (listing is cheap next to analysis), so that progress
      // can say how far along the scan is. Up to WORKER_MIN_FILES files, here; beyond, the listing starts again in
      // a worker, which then analyses the files too (walking thousands of folders here would leave its garbage).
      const folderUris = params.folders && params.folders.length > 0 ? params.folders : this.host.folderUris();
      const jobs: { engine: Engine; files: string[] }[] = [];
      const warnings: string[] = [];
      /** Lists the folders (in the worker when there is a pool); false when more than `limit` files were found. */
      const listAll = async (limit: number): Promise<boolean> => {
        jobs.length = 0;
        warnings.length = 0;
        total = 0;
        const seen = new Set<string>();
        let slice = performance.now();
        for (const folderUri of folderUris) {
          const folder = uriToPath(folderUri);
          if (!folder) {
            warnings.push(`Scan: ${folderUri} is not a folder on disk; skipped.`);
            continue;
          }
          const settings = await this.host.settingsFor(folderUri);
          if (cancelled()) return true;
          if (!settings.enable) continue;
          const files: string[] = [];
          const keep = (f: string) => {
            if (seen.has(f)) return;
            seen.add(f); // nested workspace folders list files twice
            files.push(f);
          };
          if (pool) {
            // The walk's garbage stays in the worker's heap too.
            const listing = await pool.list(folder, settings.exclude);
            for (const e of listing.errors) warnings.push(`Scan: cannot read ${e.path}: ${e.message}`);
            for (const f of listing.files) keep(f);
          } else {
            for (const entry of walk([folder], { exclude: compileExcludes(settings.exclude), excludeBase: folder })) {
              if (entry.kind === 'file') keep(entry.path);
              else if (entry.kind === 'error') warnings.push(`Scan: cannot read ${entry.path}: ${entry.message}`);
              if (total + files.length > limit) return false;
              if (performance.now() - slice > SLICE_MS) {
                await yieldToEventLoop();
                slice = performance.now();
                if (cancelled()) return true;
              }
            }
          }
          if (cancelled()) return true;
          const job = { engine: this.host.engineFor(settings), files };
          total += files.length;
          if (pool) {
            for (const f of this.closedOnly(job.files, result)) pool.add(f, job.engine.options, 0);
          } else jobs.push(job);
        }
        return true;
      };
      let onCancelPool: { dispose(): void } | undefined;
      if (!(await listAll(WORKER_MIN_FILES)) && !cancelled()) {
        pool = await ScanPool.start({ workers: scanWorkers(), sliceMs: SLICE_MS }, (_id, a) => analysed(a));
        onCancelPool = pool && source.token.onCancellationRequested(() => pool!.cancel());
        await listAll(Infinity);
      }
      for (const w of warnings) connection.console.warn(w);

      if (pool) {
        if (cancelled()) pool.cancel();
        await pool.end();
        onCancelPool?.dispose();
      }
      for (const job of jobs) {
        if (cancelled()) break;
        const closed = this.closedOnly(job.files, result);
        for await (const a of scanFiles(job.engine, closed, { token: source.token, yieldEveryMs: SLICE_MS })) analysed(toOutcome(a));
      }
      result.cancelled = cancelled();
      if (!result.cancelled) await this.watch();
      connection.console.info(
        `Scan ${result.cancelled ? 'cancelled' : 'done'}: ${result.files} files, ${result.findings} findings${result.skipped ? `, ${result.skipped} skipped` : ''}.`,
      );
      return result;
    } finally {
      pool?.cancel();
      onCancel.dispose();
      progress.done();
      if (this.current === state) this.current = undefined;
      source.dispose();
    }
  }

  /** The files that are not open; open ones count as scanned with their live analysis' findings. */
  private closedOnly(files: readonly string[], result: ScanWorkspaceResult): string[] {
    const closed: string[] = [];
    for (const f of files) {
      const open = this.host.openAt(f);
      if (!open) closed.push(f);
      else {
        result.files++;
        result.findings += open.last?.result?.findings.length ?? 0;
      }
    }
    return closed;
  }

  /** The client's cancel button on a scan's progress. */
  cancelProgress(workDoneToken: string | number): void {
    if (this.current && this.current.workDoneToken === workDoneToken) this.current.source.cancel();
  }

  /** A document was opened: its live analysis replaces the scan's diagnostics. */
  opened(file: string): void {
    if (this.covered.has(file)) this.covered.set(file, false);
  }

  /** A document was closed: a file the scans covered goes back to its contents on disk. */
  closed(file: string): void {
    if (this.covered.has(file)) this.refresh([file]);
  }

  /** Settings changed: re-analyse what the scans covered (newly excluded or disabled files are cleared). */
  settingsChanged(): void {
    this.refresh([...this.covered.keys()]);
  }

  /** Files changed on disk (the client's watcher). Only once a scan has covered the workspace. */
  filesChanged(changes: readonly FileEvent[]): void {
    if (this.covered.size === 0) return;
    const refresh: string[] = [];
    for (const ch of changes) {
      const file = uriToPath(ch.uri);
      if (!file || !isSupportedFile(file)) continue;
      if (ch.type === FileChangeType.Deleted) {
        this.forget(file);
      } else if (this.covered.has(file) || this.walkable(file)) {
        if (!this.covered.has(file)) this.covered.set(file, false);
        refresh.push(file);
      }
    }
    this.refresh(refresh);
  }

  cancel(): void {
    this.current?.source.cancel();
    this.refreshQueue.clear();
  }

  /** Whether a scan would list this new file (inside a folder, not under a skipped folder). */
  private walkable(file: string): boolean {
    for (const uri of this.host.folderUris()) {
      const folder = uriToPath(uri);
      const rel = folder && relativeInside(folder, file);
      if (rel) return !rel.split('/').slice(0, -1).some((seg) => SKIPPED_DIRS.has(seg));
    }
    return false;
  }

  /** Publishes a closed file's findings; files without findings are published only to clear earlier ones. */
  private show(file: string, findings: readonly ScanFinding[]): void {
    const had = this.covered.get(file) ?? false;
    const has = findings.length > 0;
    this.covered.set(file, has);
    // toDiagnostic reads only the fields a ScanFinding has.
    if (has || had) this.host.publish(pathToUri(file), findings.map((f) => toDiagnostic(f as Finding)));
  }

  private forget(file: string): void {
    if (this.covered.get(file)) this.host.publish(pathToUri(file), []);
    this.covered.delete(file);
  }

  /** Re-analyses closed files from disk, one after the other, letting other messages through. */
  private refresh(files: readonly string[]): void {
    for (const f of files) this.refreshQueue.add(f);
    if (this.refreshing || this.refreshQueue.size === 0) return;
    this.refreshing = true;
    void this.drain()
      .catch((e) => this.host.logError('refreshing closed files', e))
      .finally(() => {
        this.refreshing = false;
      });
  }

  private async drain(): Promise<void> {
    let slice = performance.now();
    while (this.refreshQueue.size > 0) {
      const file: string = this.refreshQueue.values().next().value!;
      this.refreshQueue.delete(file);
      if (this.host.openAt(file) || !this.covered.has(file)) continue;
      const uri = pathToUri(file);
      const settings = await this.host.settingsFor(uri);
      if (this.host.openAt(file)) continue;
      if (!settings.enable || this.host.excluded(uri, settings)) {
        this.show(file, []);
        continue;
      }
      const a = await analyzeFile(this.host.engineFor(settings), file);
      if (this.host.openAt(file)) continue; // opened meanwhile: the live analysis publishes
      if (a.error) this.forget(file); // deleted or unreadable: nothing to show any more
      else this.show(file, a.result.findings);
      if (performance.now() - slice > SLICE_MS) {
        await yieldToEventLoop();
        slice = performance.now();
      }
    }
  }

  /** After a scan, follow changes of files on disk (when the client can watch files for us). */
  private async watch(): Promise<void> {
    if (this.watching || !this.host.canWatchFiles()) return;
    this.watching = true;
    const exts = SUPPORTED_EXTENSIONS.map((e) => e.slice(1)).join(',');
    try {
      await this.host.connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: `**/*.{${exts}}` }] });
    } catch (e) {
      this.watching = false;
      this.host.logError('registering the file watcher', e);
    }
  }
}
