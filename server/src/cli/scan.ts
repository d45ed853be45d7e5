/**
 * `pc-advisor scan`: walk the paths, analyse each supported file once, write one report (to stdout or to
 * --output only) and compute the exit code. Messages about unreadable paths go to stderr as they happen.
 *
 * This thread walks, reads every file once and tests it; the files with Partner Center words are analysed. With
 * `--jobs N` (default: one per core, at most 8) and enough of those, N - 1 worker threads analyse them while this
 * thread walks, and this thread helps once the walk is done. Outcomes are taken in walk order, whichever
 * thread produced them, so that the report, the order of the messages and the exit code are those of a scan in
 * one thread.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { docUrl, GUIDANCE_DOC } from '../catalog/operations';
import { langOf } from '../catalog/text';
import { Engine } from '../engine/engine';
import type { Finding } from '../engine/types';
import { analyzeBytes, analyzeFile, bytesMayMatter, contentKey, readFileBytes, type FileBytes } from '../scan/batch';
import { BUILD_ID_FILE, CacheError, cacheKey, ScanCache } from '../scan/cache';
import { compileExcludes } from '../scan/exclude';
import { toOutcome, type ScanOutcome } from '../scan/outcome';
import { ScanPool } from '../scan/pool';
import { describeFsError, walk, type WalkEntry } from '../scan/walk';
import { UsageError, type FailOn, type ScanArgs } from './args';
import { formatJson } from './format-json';
import { formatSarif } from './format-sarif';
import { formatText } from './format-text';
import { displayPath, severityRank, sortReport, toReportFinding, type ScanReport } from './report';

export interface CliIO {
  cwd: string;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** Whether stdout is a terminal (colours in text output). */
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
}

export interface ToolInfo {
  version: string;
  informationUri?: string;
  /** The id of this build (dist/build-id): what --cache entries depend on besides the options. */
  build?: string;
}

const MB = 1024 * 1024;

/**
 * Worker threads start once the walk has found this many files to analyse: files with Partner Center words, that
 * the cache (if any) does not answer. Reading and testing the others is this thread's job (a few microseconds a
 * file), and threads would not pay for themselves there. Each thread costs about 0.1 s of CPU before it is of use
 * (starting, loading the bundle, compiling the grammars it meets, warming up). Measured on 2 idle cores with the
 * benchmark's mix of languages: the 155 files to analyse among its 1,352 JavaScript files took as long with a
 * thread as without (420 and 432 ms); its 1,089 among 10,000 files, 1.8 s instead of 2.3 s. When another process
 * keeps a core busy they cost that much more, so they start only where the gain is clear.
 */
export const MIN_ANALYSES_FOR_WORKERS = 250;

/** The default of --jobs: one thread per core, at most 8. */
export function defaultJobs(): number {
  return Math.max(1, Math.min(os.availableParallelism(), 8));
}

/** A walk entry waiting for its turn in the report; files get their outcome from whichever thread analysed them. */
type Slot = Exclude<WalkEntry, { kind: 'file' }> | { kind: 'file'; path: string; outcome?: ScanOutcome };

/** Checks a file to write (--output, --cache) before scanning: its folder must exist, and it must not be a folder. */
function checkWritable(option: string, file: string): void {
  const dir = path.dirname(file);
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch (e) {
    throw new UsageError(`${option} ${file}: folder ${dir} does not exist (${describeFsError(e)}); create it first`);
  }
  if (!st.isDirectory()) throw new UsageError(`${option} ${file}: ${dir} is not a folder`);
  try {
    if (fs.statSync(file).isDirectory()) throw new UsageError(`${option} ${file}: is a folder, expected a file name`);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    /* does not exist yet: fine */
  }
}

/** Whether two paths name one file: the same path, the same file on disk, or the same name in the same folder. */
function sameFile(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    const x = fs.statSync(a);
    const y = fs.statSync(b);
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    /* one of them does not exist (yet) */
  }
  try {
    return path.basename(a) === path.basename(b) && fs.realpathSync(path.dirname(a)) === fs.realpathSync(path.dirname(b));
  } catch {
    return false;
  }
}

/** Opens the --cache file, or says why the scan goes without it (undefined); usage errors for unusable files. */
function openCache(given: string, output: string | undefined, engine: Engine, io: CliIO, tool: ToolInfo): ScanCache | undefined {
  const file = path.resolve(io.cwd, given);
  if (output !== undefined && sameFile(file, output)) throw new UsageError(`--cache ${given}: the same file as --output`);
  checkWritable('--cache', file);
  if (!tool.build) {
    io.stderr(`pc-advisor: --cache needs a built pc-advisor (no ${BUILD_ID_FILE} next to it: run npm run build); scanning without the cache\n`);
    return undefined;
  }
  try {
    // Grammars from elsewhere (PC_ADVISOR_WASM_DIR) or another Node are another engine, as another build is.
    const engineId = [tool.build, process.version, process.env.PC_ADVISOR_WASM_DIR ?? ''].join(' ');
    const { cache, note } = ScanCache.open(file, cacheKey(engineId, engine.options));
    if (note) io.stderr(`pc-advisor: ${note}\n`);
    return cache;
  } catch (e) {
    if (e instanceof CacheError) throw new UsageError(`--cache: ${e.message}`);
    throw e;
  }
}

function failed(report: ScanReport, failOn: FailOn): boolean {
  if (failOn === 'none') return false;
  const threshold = severityRank(failOn);
  return report.findings.some((f) => severityRank(f.severity) <= threshold);
}

/** Runs a scan; returns the exit code (0, 1 findings at or above --fail-on, 2 nothing could be scanned). */
export async function runScan(args: ScanArgs, io: CliIO, tool: ToolInfo): Promise<number> {
  const output = args.output !== undefined ? path.resolve(io.cwd, args.output) : undefined;
  if (output) checkWritable('--output', output);

  const engine = new Engine({
    extraHosts: args.extraHosts,
    retryHelpers: args.retryHelpers,
    rules: args.rules,
    locale: args.locale,
    maxFileSize: Math.floor(args.maxFileSize * MB),
  });
  const root = io.cwd;
  const report: ScanReport = { root, findings: [], skipped: [], errors: [], filesScanned: 0 };
  const exclude = args.exclude.length > 0
    ? compileExcludes(args.exclude, (p, err) => {
        throw new UsageError(`--exclude '${p}': ${err}`);
      })
    : undefined;

  // Entries in walk order; `flushed` is the first not yet in the report (its file's outcome is not known yet).
  const slots: (Slot | undefined)[] = [];
  let flushed = 0;
  const flush = () => {
    for (let s = slots[flushed]; s && (s.kind !== 'file' || s.outcome); s = slots[++flushed]) {
      slots[flushed] = undefined;
      if (s.kind === 'error') {
        const shown = displayPath(root, path.resolve(root, s.path));
        report.errors.push({ file: shown, path: s.path, message: s.message });
        io.stderr(`pc-advisor: cannot read ${shown}: ${s.message}\n`);
      } else if (s.kind === 'skipped') {
        report.skipped.push({ file: displayPath(root, s.path), path: s.path, message: s.reason });
      } else {
        const a = s.outcome!;
        const file = displayPath(root, a.path);
        if (a.error) {
          report.errors.push({ file, path: a.path, message: a.error });
          io.stderr(`pc-advisor: cannot read ${file}: ${a.error}\n`);
          continue;
        }
        report.filesScanned++;
        if (a.skipped) report.skipped.push({ file, path: a.path, message: a.skipped });
        // toReportFinding reads only the fields a ScanFinding has.
        for (const f of a.findings) report.findings.push(toReportFinding(root, a.path, f as Finding));
      }
    }
  };
  // With --cache: the files it answers are never analysed; the others are, and their results kept.
  const cache = args.cache !== undefined ? openCache(args.cache, output, engine, io, tool) : undefined;
  const analysed = (outcome: ScanOutcome) => {
    cache?.put(outcome);
    return outcome;
  };
  /** Analyses the file of slot `i` in this thread (from `read`, its bytes, when they were read already). */
  const analyseHere = async (i: number, read?: FileBytes) => {
    const s = slots[i] as Extract<Slot, { kind: 'file' }>;
    const options = { contentKey: !!cache };
    s.outcome = analysed(toOutcome(await (read ? analyzeBytes(engine, s.path, read, options) : analyzeFile(engine, s.path, options))));
    flush();
  };

  const jobs = args.jobs ?? defaultJobs();
  let pool: ScanPool | undefined;
  /** Files to analyse found before deciding on threads (slot indexes). */
  let waiting: number[] | undefined = jobs > 1 ? [] : undefined;
  let lastYield = 0;
  /**
   * A file that has to be analysed: by a worker, later (until threads are decided on), or here and now from `buf`,
   * the bytes just read (valid until the next read).
   */
  const toAnalyse = async (i: number, buf: Buffer) => {
    const file = (slots[i] as Extract<Slot, { kind: 'file' }>).path;
    if (pool) {
      pool.add(file, engine.options, i);
    } else if (waiting) {
      waiting.push(i);
      if (waiting.length >= MIN_ANALYSES_FOR_WORKERS) {
        pool = await ScanPool.start({ workers: jobs - 1, inProcess: true, contentKeys: !!cache }, (id, outcome) => {
          (slots[id] as Extract<Slot, { kind: 'file' }>).outcome = analysed(outcome);
          flush();
        });
        if (pool) for (const w of waiting) pool.add((slots[w] as Extract<Slot, { kind: 'file' }>).path, engine.options, w);
        else for (const w of waiting) await analyseHere(w); // no worker bundle: one thread
        waiting = undefined;
        lastYield = performance.now();
      }
    } else {
      // A copy: the analysis may outlive the read buffer (this runs before the first await, but a copy costs little).
      await analyseHere(i, { buf: Buffer.from(buf) });
    }
  };

  const paths = args.paths.map((p) => path.resolve(root, p));
  for (const entry of walk(paths, { exclude, excludeBase: root })) {
    const i = slots.length;
    slots.push(entry.kind === 'file' ? { kind: 'file', path: entry.path } : entry);
    if (entry.kind !== 'file') {
      flush();
      continue;
    }
    // The walk is synchronous: while workers run, let their messages in now and then, so that they get their next
    // batch even through a long run of files they are not given.
    if (pool && performance.now() - lastYield > 5) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      lastYield = performance.now();
    }
    // This thread reads and tests every file; only the files with Partner Center words that the cache does not
    // answer are analysed (a worker thread, or this one after the walk, reads them again).
    const s = slots[i] as Extract<Slot, { kind: 'file' }>;
    const read = readFileBytes(engine, entry.path);
    if (!('buf' in read)) {
      await analyseHere(i, read); // too large, or unreadable: said without analysing anything
      continue;
    }
    if (!bytesMayMatter(read.buf)) {
      s.outcome = { path: entry.path, findings: [] };
      flush();
      continue;
    }
    const hit = cache?.get(contentKey(entry.path, read.buf));
    if (hit) {
      s.outcome = { path: entry.path, ...hit };
      flush();
      continue;
    }
    await toAnalyse(i, read.buf);
  }
  if (pool) await pool.end();
  for (const w of waiting ?? []) await analyseHere(w);
  flush();
  sortReport(report);
  if (cache) {
    const why = cache.save();
    if (why) io.stderr(`pc-advisor: cannot write the cache ${args.cache}: ${why}; the report is complete, and the next scan analyses every file again\n`);
    if (args.verbose) {
      const { hits, analysed, stored } = cache.stats;
      io.stderr(`pc-advisor: cache ${args.cache}: ${hits} file${hits === 1 ? '' : 's'} from the cache, ${analysed} analysed (${stored} kept)\n`);
    }
  }

  const color = !output && args.format === 'text' && (args.color ?? (io.isTTY && !io.env.NO_COLOR && io.env.TERM !== 'dumb'));
  let text: string;
  switch (args.format) {
    case 'json':
      text = formatJson(report);
      break;
    case 'sarif':
      text = formatSarif(report, {
        version: tool.version,
        informationUri: tool.informationUri ?? docUrl(GUIDANCE_DOC),
        locale: args.locale,
        lang: langOf(args.locale),
      });
      break;
    default:
      text = formatText(report, { color, verbose: args.verbose });
  }

  if (output) {
    try {
      fs.writeFileSync(output, text);
    } catch (e) {
      io.stderr(`pc-advisor: cannot write ${args.output}: ${describeFsError(e)}\n`);
      return 2;
    }
    const n = report.findings.length;
    io.stderr(`pc-advisor: ${n} finding${n === 1 ? '' : 's'} in ${report.filesScanned} file${report.filesScanned === 1 ? '' : 's'} scanned; report written to ${args.output}\n`);
  } else {
    io.stdout(text);
  }

  if (report.filesScanned === 0 && report.errors.length > 0) return 2;
  return failed(report, args.failOn) ? 1 : 0;
}
