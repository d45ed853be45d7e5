/**
 * Batch analysis of files on disk, for the CLI and the server's workspace scan. Each file is read once
 * (never more than the size limit), tested by the engine's prefilter on the raw bytes, and only then
 * decoded and analysed; `Engine.analyzeText` keeps nothing, so memory stays flat on large trees.
 */
import * as fs from 'fs';
import type { Engine } from '../engine/engine';
import { mayMatter } from '../engine/prefilter';
import type { AnalysisResult } from '../engine/types';
import { skippedMessage, langOf } from '../catalog/text';
import { describeFsError } from './walk';

export interface FileAnalysis {
  /** Absolute path. */
  path: string;
  /** Empty when the file was skipped or unreadable. */
  result: AnalysisResult;
  /** Set when the file could not be read: why, for people. */
  error?: string;
}

export interface CancellationLike {
  readonly isCancellationRequested: boolean;
}

type ReadOutcome = { buf: Buffer } | { tooLarge: number };

/** Reads a file whole, unless it is larger than `limit` bytes (then only its size is known). */
function readBounded(file: string, limit: number): ReadOutcome {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    if (size > limit) return { tooLarge: size };
    const buf = Buffer.allocUnsafe(size);
    let off = 0;
    while (off < size) {
      const n = fs.readSync(fd, buf, off, size - off, off);
      if (n === 0) break; // the file shrank while being read
      off += n;
    }
    return { buf: off === size ? buf : buf.subarray(0, off) };
  } finally {
    fs.closeSync(fd);
  }
}

const EMPTY: AnalysisResult = Object.freeze({ findings: [], recognitions: [] }) as AnalysisResult;

/**
 * Analyses one file on disk. Never throws: read errors come back in `error`, analysis errors too (the
 * engine should not throw, but one bad file must not stop a scan of thousands).
 */
export async function analyzeFile(engine: Engine, file: string): Promise<FileAnalysis> {
  let read: ReadOutcome;
  try {
    read = readBounded(file, engine.options.maxFileSize);
  } catch (e) {
    return { path: file, result: EMPTY, error: describeFsError(e) };
  }
  if ('tooLarge' in read) {
    return { path: file, result: { findings: [], recognitions: [], skipped: skippedMessage('size', langOf(engine.options.locale), engine.options.maxFileSize) } };
  }
  // The prefilter's words are ASCII: testing the bytes as latin1 gives the same answer as the decoded text,
  // and latin1 decoding is a plain copy. Most files stop here.
  if (!mayMatter(read.buf.toString('latin1'))) return { path: file, result: EMPTY };
  let text = read.buf.toString('utf8');
  // Editors hide the byte order mark: positions must not count it.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return { path: file, result: await engine.analyzeText(text, file) };
  } catch (e) {
    return { path: file, result: EMPTY, error: `analysis failed: ${e instanceof Error ? e.message : String(e)}` };
  }
}

export interface ScanFilesOptions {
  /** Checked between files: a cancelled scan stops at once. */
  token?: CancellationLike;
  /**
   * Yield to the event loop when this many milliseconds have passed since the last time (the server keeps
   * answering requests and notices cancellation during a scan). Default: never (the CLI).
   */
  yieldEveryMs?: number;
}

/** Analyses files one after the other; yields each file's analysis (including files without findings). */
export async function* scanFiles(engine: Engine, files: Iterable<string>, options: ScanFilesOptions = {}): AsyncGenerator<FileAnalysis> {
  const every = options.yieldEveryMs;
  let last = every === undefined ? 0 : performance.now();
  for (const file of files) {
    if (options.token?.isCancellationRequested) return;
    if (every !== undefined && performance.now() - last >= every) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      last = performance.now();
      if (options.token?.isCancellationRequested) return;
    }
    yield await analyzeFile(engine, file);
  }
}
