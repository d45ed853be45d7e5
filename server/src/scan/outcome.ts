/**
 * What a scan keeps of a file's analysis, and the messages between the scan pool (pool.ts) and its worker
 * threads (worker.ts). Shared by both sides, so it imports no engine code.
 */
import type { EngineOptions, Finding } from '../engine/types';
import type { FileAnalysis } from './batch';

/**
 * The part of a finding that scan reports use: the CLI's report (cli/report.ts `toReportFinding`) and the
 * server's diagnostics (lsp/diagnostics.ts `toDiagnostic`) read these fields and nothing else. The call site
 * (`site`, folded strings) and the recognitions stay in the thread that analysed the file.
 */
export type ScanFinding = Pick<Finding, 'rule' | 'operation' | 'severity' | 'range' | 'message' | 'docUrl'>;

/** One file's analysis as a scan sees it. Plain data (structured-clone safe). */
export interface ScanOutcome {
  /** Absolute path. */
  path: string;
  findings: ScanFinding[];
  /** Why the file was not (completely) analysed. */
  skipped?: string;
  /** Why the file could not be read, or its analysis failed. */
  error?: string;
  /** Asked for by the scan cache: see FileAnalysis.contentKey. */
  contentKey?: string;
  /** The parse or the analysis ran out of time (see AnalysisResult.outOfTime). */
  outOfTime?: true;
}

export function toOutcome(a: FileAnalysis): ScanOutcome {
  const findings: ScanFinding[] = a.result.findings.map((f) => ({
    rule: f.rule,
    operation: f.operation,
    severity: f.severity,
    range: f.range,
    message: f.message,
    docUrl: f.docUrl,
  }));
  const out: ScanOutcome = { path: a.path, findings };
  if (a.result.skipped !== undefined) out.skipped = a.result.skipped;
  if (a.error !== undefined) out.error = a.error;
  if (a.contentKey !== undefined) out.contentKey = a.contentKey;
  if (a.result.outOfTime) out.outOfTime = true;
  return out;
}

/** Pool to worker: analyse these files with the engine for these options (`key` identifies the options). */
export interface BatchRequest {
  batch: number;
  key: number;
  options: EngineOptions;
  files: string[];
  /** Return each outcome's content key (the scan cache). */
  contentKeys?: boolean;
}

/** Pool to worker: list the files a scan of `folder` analyses (exclusion globs relative to it). */
export interface ListRequest {
  list: number;
  folder: string;
  exclude: readonly string[];
}

/** The files of a folder to analyse, in walk order, and the paths that could not be read. */
export interface Listing {
  files: string[];
  errors: { path: string; message: string }[];
}

/** Worker to pool: started and listening; the outcomes of a batch, in the order of its files; a listing. */
export type WorkerReply = { ready: true } | { batch: number; outcomes: ScanOutcome[] } | ({ list: number } & Listing);

/**
 * For tests only: makes a worker fail when it is given a file whose path contains TEXT, to exercise the
 * pool's recovery (the worker's unfinished files are analysed in the calling thread). `throw:TEXT` throws an
 * uncaught error in the worker, `exit:TEXT` ends the worker thread with exit code 70.
 */
export const WORKER_FAIL_ENV = 'PC_ADVISOR_TEST_WORKER_FAIL';

export function parseFailHook(value: string | undefined): { mode: 'throw' | 'exit'; match: string } | undefined {
  const m = value ? /^(throw|exit):(.+)$/.exec(value) : null;
  return m ? { mode: m[1] as 'throw' | 'exit', match: m[2] } : undefined;
}
