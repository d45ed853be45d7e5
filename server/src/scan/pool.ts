/**
 * Analysing files in worker threads, for the CLI (`scan --jobs N`) and the server's workspace scan.
 *
 * The caller adds files (with the engine options for each: the server's folders have their own settings) as
 * it finds them, then calls `end()`. Files are handed to the workers in small batches, at most two in flight
 * per worker so that none waits for the next; batches shrink towards the end so that the threads finish
 * together. Each worker has its own engines (one per options), parser and grammars; outcomes come back as
 * plain data (`ScanOutcome`), in any order, to `onResult` with the id the caller gave.
 *
 * With `inProcess`, the calling thread analyses files too once `end()` is called (the CLI: the main thread walks,
 * then helps). Whatever happens to the workers, no file is lost: the batches of a worker that crashes or exits
 * are analysed in the calling thread, as are all files when no worker is left. The calling thread yields to its
 * event loop every `sliceMs` while it analyses (workers get their next batch, the server answers requests).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { Engine } from '../engine/engine';
import { initRuntime } from '../engine/parser';
import type { EngineOptions } from '../engine/types';
import { analyzeFile } from './batch';
import { compileExcludes } from './exclude';
import { toOutcome, type BatchRequest, type ListRequest, type Listing, type ScanOutcome, type WorkerReply } from './outcome';
import { walk } from './walk';

/** The worker bundle's file name, next to the bundle that runs (dist/cli.js, dist/server.js). */
export const WORKER_BUNDLE = 'scan-worker.js';

/** The bundled worker next to the running bundle, or undefined (running from sources: no workers). */
export function defaultWorkerFile(): string | undefined {
  const file = path.join(__dirname, WORKER_BUNDLE);
  return fs.existsSync(file) ? file : undefined;
}

/** The files a scan of `folder` analyses (what the server's workspace scan lists), with the unreadable paths. */
export function listFolder(folder: string, exclude: readonly string[]): Listing {
  const listing: Listing = { files: [], errors: [] };
  for (const entry of walk([folder], { exclude: compileExcludes(exclude), excludeBase: folder })) {
    if (entry.kind === 'file') listing.files.push(entry.path);
    else if (entry.kind === 'error') listing.errors.push({ path: entry.path, message: entry.message });
  }
  return listing;
}

export interface PoolOptions {
  /** Worker threads to start (at least 1). */
  workers: number;
  /** Default: `defaultWorkerFile()`. */
  workerFile?: string;
  /** The calling thread analyses files too, once `end()` has been called. */
  inProcess?: boolean;
  /** How long the calling thread analyses before yielding to its event loop (default 10 ms). */
  sliceMs?: number;
  /** Each outcome of a file that may hold a call site carries its content key (the scan cache). */
  contentKeys?: boolean;
}

export interface PoolStats {
  /** Worker threads started. */
  workers: number;
  /** Files analysed by workers, and in the calling thread. */
  workerFiles: number;
  inProcessFiles: number;
  /** Workers that stopped before they were told to. */
  crashes: number;
}

interface Task {
  id: number;
  file: string;
  key: number;
}

interface Thread {
  worker: Worker;
  ready: boolean;
  /** Batches sent and not answered yet. */
  inFlight: Map<number, Task[]>;
  /** Listings asked for and not answered yet. */
  lists: Map<number, ListRequest>;
  /** Told to stop (no more work, or the scan was cancelled): its exit is not a crash. */
  stopping: boolean;
  exited: boolean;
}

const MAX_IN_FLIGHT = 2;
const MAX_BATCH = 32;

export class ScanPool {
  readonly stats: PoolStats = { workers: 0, workerFiles: 0, inProcessFiles: 0, crashes: 0 };
  private readonly queue: Task[] = [];
  private head = 0;
  /** Tasks of crashed workers: analysed in this thread, first. */
  private readonly recovery: Task[] = [];
  private readonly threads: Thread[] = [];
  private readonly keys = new Map<EngineOptions, number>();
  private readonly optionsByKey: EngineOptions[] = [];
  private readonly engines = new Map<number, Engine>();
  private readonly inProcess: boolean;
  private readonly sliceMs: number;
  private readonly contentKeys: boolean;
  private nextBatch = 0;
  private readonly listed = new Map<number, (listing: Listing) => void>();
  private pending = 0;
  private ended = false;
  private cancelled = false;
  private working = false;
  private finished = false;
  private resolveDone!: () => void;
  private readonly done = new Promise<void>((resolve) => (this.resolveDone = resolve));

  /**
   * Starts the workers; undefined when none can start (no worker bundle, or `new Worker` refused): the caller
   * then analyses in its own thread. This thread sets up the parsing runtime (and V8's flags for it, which belong
   * to the process) before any worker starts: see initRuntime.
   */
  static async start(options: PoolOptions, onResult: (id: number, outcome: ScanOutcome) => void): Promise<ScanPool | undefined> {
    const file = options.workerFile ?? defaultWorkerFile();
    if (!file || !fs.existsSync(file)) return undefined;
    await initRuntime();
    const pool = new ScanPool(options, onResult);
    for (let i = 0; i < Math.max(1, options.workers); i++) {
      try {
        pool.spawn(file);
      } catch {
        break;
      }
    }
    return pool.threads.length > 0 ? pool : undefined;
  }

  private constructor(
    options: PoolOptions,
    private readonly onResult: (id: number, outcome: ScanOutcome) => void,
  ) {
    this.inProcess = !!options.inProcess;
    this.sliceMs = options.sliceMs ?? 10;
    this.contentKeys = !!options.contentKeys;
  }

  /** Adds a file to analyse with the engine for `options` (the same object for the same options). */
  add(file: string, options: EngineOptions, id: number): void {
    if (this.ended || this.cancelled) throw new Error('ScanPool: add() after end() or cancel()');
    let key = this.keys.get(options);
    if (key === undefined) {
      key = this.optionsByKey.length;
      this.keys.set(options, key);
      this.optionsByKey.push(options);
    }
    this.queue.push({ id, file, key });
    this.pending++;
    this.pump();
  }

  /**
   * Lists a folder in a worker (the walk's garbage stays there too); in this thread when no worker is left.
   * Resolves with nothing listed when the pool is cancelled.
   */
  list(folder: string, exclude: readonly string[]): Promise<Listing> {
    if (this.cancelled) return Promise.resolve({ files: [], errors: [] });
    const req: ListRequest = { list: this.nextBatch++, folder, exclude: [...exclude] };
    const done = new Promise<Listing>((resolve) => this.listed.set(req.list, resolve));
    const t = this.threads.find((x) => !x.exited && !x.stopping);
    if (t) {
      t.lists.set(req.list, req);
      t.worker.postMessage(req);
    } else this.listHere(req);
    return done;
  }

  private listHere(req: ListRequest): void {
    const resolve = this.listed.get(req.list);
    this.listed.delete(req.list);
    resolve?.(listFolder(req.folder, req.exclude));
  }

  /** No more files: resolves when every file added has its outcome (or the pool is cancelled). */
  end(): Promise<void> {
    this.ended = true;
    this.pump();
    return this.done;
  }

  /** Stops everything now: workers are terminated, outcomes not delivered yet never will be. */
  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.finish();
  }

  private spawn(file: string): void {
    // No execArgv: the workers inherit the process's Node options (a --require preload included).
    const worker = new Worker(file);
    const t: Thread = { worker, ready: false, inFlight: new Map(), lists: new Map(), stopping: false, exited: false };
    this.threads.push(t);
    this.stats.workers++;
    worker.on('message', (m: WorkerReply) => this.onMessage(t, m));
    // An uncaught error in the worker ends it; 'exit' follows and recovers its batches.
    worker.on('error', () => undefined);
    worker.on('messageerror', () => {
      void worker.terminate();
    });
    worker.on('exit', () => this.onExit(t));
  }

  private onMessage(t: Thread, m: WorkerReply): void {
    if (this.cancelled) return;
    if ('list' in m) {
      t.lists.delete(m.list);
      const resolve = this.listed.get(m.list);
      this.listed.delete(m.list);
      resolve?.({ files: m.files, errors: m.errors });
    } else if ('ready' in m) {
      t.ready = true;
    } else {
      const tasks = t.inFlight.get(m.batch);
      if (!tasks) return;
      t.inFlight.delete(m.batch);
      this.stats.workerFiles += tasks.length;
      for (let i = 0; i < tasks.length; i++) {
        if (this.cancelled) return; // by the caller, from onResult
        this.deliver(tasks[i], m.outcomes[i]);
      }
    }
    this.pump();
  }

  private onExit(t: Thread): void {
    t.exited = true;
    if (this.cancelled) return;
    if (!t.stopping) this.stats.crashes++;
    for (const tasks of t.inFlight.values()) this.recovery.push(...tasks);
    t.inFlight.clear();
    for (const req of t.lists.values()) this.listHere(req);
    t.lists.clear();
    this.pump();
  }

  private deliver(task: Task, outcome: ScanOutcome): void {
    this.pending--;
    this.onResult(task.id, outcome);
  }

  private get remaining(): number {
    return this.queue.length - this.head;
  }

  private liveThreads(): number {
    let n = 0;
    for (const t of this.threads) if (!t.exited && !t.stopping) n++;
    return n;
  }

  /** Batches shrink as the queue empties, so that the threads run out of work at about the same time. */
  private batchSize(): number {
    let readers = this.inProcess ? 1 : 0;
    for (const t of this.threads) if (t.ready && !t.exited && !t.stopping) readers++;
    return Math.max(1, Math.min(MAX_BATCH, Math.ceil(this.remaining / (Math.max(1, readers) * 4))));
  }

  /** Up to `n` tasks from the queue, all with the options of the first (a batch has one engine). */
  private take(n: number): Task[] {
    const key = this.queue[this.head].key;
    let end = this.head + 1;
    const limit = Math.min(this.queue.length, this.head + n);
    while (end < limit && this.queue[end].key === key) end++;
    const tasks = this.queue.slice(this.head, end);
    this.head = end;
    if (this.head >= 4096 && this.head * 2 >= this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    return tasks;
  }

  /** Hands out work: batches to idle workers, the rest to this thread when it should help. */
  private pump(): void {
    if (this.cancelled || this.finished) return;
    for (const t of this.threads) {
      if (!t.ready || t.exited || t.stopping) continue;
      while (t.inFlight.size < MAX_IN_FLIGHT && this.remaining > 0) {
        const tasks = this.take(this.batchSize());
        const batch = this.nextBatch++;
        t.inFlight.set(batch, tasks);
        const key = tasks[0].key;
        const req: BatchRequest = { batch, key, options: this.optionsByKey[key], files: tasks.map((x) => x.file) };
        if (this.contentKeys) req.contentKeys = true;
        t.worker.postMessage(req);
      }
    }
    if (this.ended && this.remaining === 0) {
      // Nothing left to hand out: idle workers can go (their memory and thread with them).
      for (const t of this.threads) if (!t.exited && !t.stopping && t.inFlight.size === 0 && t.lists.size === 0) this.stop(t);
    }
    if (!this.working && this.shouldWorkHere()) {
      this.working = true;
      void this.workHere();
    }
    if (this.ended && this.pending === 0 && !this.working) this.finish();
  }

  private shouldWorkHere(): boolean {
    if (this.recovery.length > 0) return true;
    return this.remaining > 0 && ((this.inProcess && this.ended) || this.liveThreads() === 0);
  }

  private engineFor(key: number): Engine {
    let engine = this.engines.get(key);
    if (!engine) this.engines.set(key, (engine = new Engine(this.optionsByKey[key])));
    return engine;
  }

  /** Analyses files in this thread (recovered ones first), yielding to the event loop every slice. */
  private async workHere(): Promise<void> {
    try {
      let slice = performance.now();
      while (!this.cancelled && this.shouldWorkHere()) {
        const task = this.recovery.length > 0 ? this.recovery.shift()! : this.take(1)[0];
        const outcome = toOutcome(await analyzeFile(this.engineFor(task.key), task.file, { contentKey: this.contentKeys }));
        if (this.cancelled) return;
        this.stats.inProcessFiles++;
        this.deliver(task, outcome);
        if (performance.now() - slice >= this.sliceMs) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          slice = performance.now();
        }
      }
    } finally {
      this.working = false;
      this.pump();
    }
  }

  private stop(t: Thread): void {
    t.stopping = true;
    void t.worker.terminate();
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    for (const t of this.threads) if (!t.exited && !t.stopping) this.stop(t);
    this.engines.clear();
    for (const resolve of this.listed.values()) resolve({ files: [], errors: [] });
    this.listed.clear();
    this.resolveDone();
  }
}
