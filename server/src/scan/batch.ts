/**
 * Batch analysis of files on disk, for the CLI and the server's workspace scan. Each file is read once
 * (never more than the size limit), tested by the engine's prefilter on the raw bytes, and only then
 * decoded and analysed; `Engine.analyzeText` keeps nothing, so memory stays flat on large trees.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
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
  /** With `contentKey: true`, for a file that may hold a call site: what its analysis depends on (`contentKey`). */
  contentKey?: string;
}

export interface CancellationLike {
  readonly isCancellationRequested: boolean;
}

type ReadOutcome = { buf: Buffer } | { tooLarge: number };

/**
 * Files are read into this buffer first: most source files fit, and then a read needs no `fstat` and no buffer of
 * its own (one system call and one allocation less per file, about 12 ms in 10,000 files). Its content is only
 * valid until the next read: whatever must outlive it is decoded or copied first.
 */
const SCRATCH = Buffer.allocUnsafe(64 * 1024);

/**
 * Reads a file whole, unless it is larger than `limit` bytes (then only its size is known). The returned buffer
 * may be SCRATCH: valid until the next call.
 */
function readBounded(file: string, limit: number): ReadOutcome {
  const fd = fs.openSync(file, 'r');
  try {
    // A read that returns less than asked has reached the end of a regular file.
    const first = fs.readSync(fd, SCRATCH, 0, SCRATCH.length, 0);
    if (first < SCRATCH.length) return first > limit ? { tooLarge: first } : { buf: SCRATCH.subarray(0, first) };
    const size = fs.fstatSync(fd).size;
    if (size > limit) return { tooLarge: size };
    const buf = Buffer.allocUnsafe(Math.max(size, first));
    SCRATCH.copy(buf, 0, 0, first);
    let off = first;
    while (off < buf.length) {
      const n = fs.readSync(fd, buf, off, buf.length - off, off);
      if (n === 0) break; // the file shrank while being read
      off += n;
    }
    return { buf: off === buf.length ? buf : buf.subarray(0, off) };
  } finally {
    fs.closeSync(fd);
  }
}

const EMPTY: AnalysisResult = Object.freeze({ findings: [], recognitions: [] }) as AnalysisResult;

export interface AnalyzeFileOptions {
  /** Also return the content key of a file that may hold a call site (see `contentKey`), for the scan cache. */
  contentKey?: boolean;
}

/** The bytes of a file, read as `analyzeFile` reads them (bounded by the engine's size limit). */
export type FileBytes = ReadOutcome | { error: string };

export function readFileBytes(engine: Engine, file: string): FileBytes {
  try {
    return readBounded(file, engine.options.maxFileSize);
  } catch (e) {
    return { error: describeFsError(e) };
  }
}

/**
 * Whether bytes may hold a call site (the engine's prefilter). Its words are ASCII: testing the bytes as latin1
 * gives the same answer as the decoded text, and latin1 decoding is a plain copy. Most files stop here.
 */
export function bytesMayMatter(buf: Buffer): boolean {
  return mayMatter(buf.toString('latin1'));
}

/**
 * What a file's analysis depends on besides the engine and its options: its bytes and its extension (which
 * picks the language and the grammar, `.ts` or `.tsx`). Two files with the same key have the same findings.
 */
export function contentKey(file: string, buf: Buffer): string {
  return crypto.createHash('sha256').update(path.extname(file).toLowerCase()).update('\0').update(buf).digest('base64url');
}

/**
 * Analyses one file on disk. Never throws: read errors come back in `error`, analysis errors too (the
 * engine should not throw, but one bad file must not stop a scan of thousands).
 */
export async function analyzeFile(engine: Engine, file: string, options: AnalyzeFileOptions = {}): Promise<FileAnalysis> {
  return analyzeBytes(engine, file, readFileBytes(engine, file), options);
}

/**
 * `analyzeFile` of bytes already read (by `readFileBytes`). They may be in the shared read buffer: they are tested,
 * hashed and decoded before this function awaits anything, so the caller may read the next file once it has called
 * it (not only once the promise settles).
 */
export async function analyzeBytes(engine: Engine, file: string, read: FileBytes, options: AnalyzeFileOptions = {}): Promise<FileAnalysis> {
  if ('error' in read) return { path: file, result: EMPTY, error: read.error };
  if ('tooLarge' in read) {
    return { path: file, result: { findings: [], recognitions: [], skipped: skippedMessage('size', langOf(engine.options.locale), engine.options.maxFileSize) } };
  }
  if (!bytesMayMatter(read.buf)) return { path: file, result: EMPTY };
  const key = options.contentKey ? contentKey(file, read.buf) : undefined;
  let text = read.buf.toString('utf8');
  // Editors hide the byte order mark: positions must not count it.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return { path: file, result: await engine.analyzeText(text, file), contentKey: key };
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
