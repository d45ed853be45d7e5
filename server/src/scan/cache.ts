/**
 * The scan cache (`pc-advisor scan --cache FILE`): what the analysis of each file with Partner Center words gave,
 * keyed by what it depends on (the file's bytes and extension, `contentKey`), so that a later scan re-analyses
 * only the files that changed. For CI: keep FILE between runs (actions/cache, a pipeline cache).
 *
 * The whole cache is for one build of pc-advisor and one set of engine options (`cacheKey`): another build or other
 * options start a new cache. A scan keeps the entries it used and the ones it added, so entries of deleted or
 * changed files go away. Results that depend on the machine's speed (out of time) and failed analyses are never
 * kept. FILE is written once, at the end, through a new temporary file next to it that is then renamed (a scan
 * that stops half-way leaves the previous cache whole); a scan that used every entry and added none writes
 * nothing. When FILE is a symbolic link, the file it leads to is the cache.
 *
 * A file that exists and is not a pc-advisor cache (an empty one included) is never overwritten (`CacheError`): a
 * mistyped path must not cost anyone their file. The cache is trusted as the report is: whoever can write it can
 * change what a scan reports, like any CI cache; entries are checked for their shape only.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { isRuleId, SEVERITIES } from '../catalog/rules';
import type { EngineOptions } from '../engine/types';
import type { ScanFinding, ScanOutcome } from './outcome';
import { describeFsError } from './walk';

/** The file begins with this: how a cache is told from any other file before anything is overwritten. */
const HEADER = '{"format":"pc-advisor scan cache"';
const VERSION = 1;

/** What a cached file's analysis gave: its outcome without the path. */
export interface CachedOutcome {
  findings: ScanFinding[];
  skipped?: string;
}

interface CacheDocument {
  format: 'pc-advisor scan cache';
  version: number;
  key: string;
  entries: Record<string, CachedOutcome>;
}

/** FILE cannot serve as the cache, and is left as it is. */
export class CacheError extends Error {}

/** The build file written next to the bundles (scripts/build.mjs): a hash of the bundles and grammars. */
export const BUILD_ID_FILE = 'build-id';

/** The id of the build in `dir` (the folder of the running bundle), or undefined when there is none (sources). */
export function readBuildId(dir: string): string | undefined {
  try {
    const id = fs.readFileSync(path.join(dir, BUILD_ID_FILE), 'utf8').trim();
    return /^[\w-]{8,128}$/.test(id) ? id : undefined;
  } catch {
    return undefined;
  }
}

/** What every entry of a cache depends on besides its file: the build, and the options that change findings. */
export function cacheKey(build: string, options: EngineOptions): string {
  const rules = Object.entries(options.rules).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const what = JSON.stringify([build, [...options.extraHosts], [...options.retryHelpers], rules, options.locale, options.maxFileSize]);
  return crypto.createHash('sha256').update(what).digest('base64url');
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isSeverity = (v: string): boolean => (SEVERITIES as readonly string[]).includes(v);
const isPosition = (p: unknown): boolean => {
  const q = p as { line?: unknown; character?: unknown } | null;
  return !!q && Number.isInteger(q.line) && Number.isInteger(q.character);
};

function isLink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

/** The entry kept for an outcome: its findings and why it was skipped, if it was. */
function entryOf(findings: ScanFinding[], skipped: string | undefined): CachedOutcome {
  return skipped === undefined ? { findings } : { findings, skipped };
}

/** An entry as read from FILE, checked field by field (a damaged or hand-edited entry is a miss, not a crash). */
function validEntry(v: unknown): v is CachedOutcome {
  const e = v as { findings?: unknown; skipped?: unknown } | null;
  if (!e || typeof e !== 'object' || !Array.isArray(e.findings)) return false;
  if (e.skipped !== undefined && !isString(e.skipped)) return false;
  return e.findings.every((f: Partial<ScanFinding> | null) => {
    if (!f || typeof f !== 'object') return false;
    return (
      isString(f.rule) && isRuleId(f.rule) && isString(f.severity) && isSeverity(f.severity) && isString(f.operation) && isString(f.message) && isString(f.docUrl) && !!f.range && isPosition(f.range.start) && isPosition(f.range.end)
    );
  });
}

export class ScanCache {
  /** Entries this scan used or added: what is written back. */
  private readonly next = new Map<string, CachedOutcome>();
  private added = 0;
  /** Files answered from the cache; files analysed (with their content key), and those whose result was kept. */
  readonly stats = { hits: 0, analysed: 0, stored: 0 };

  private constructor(
    readonly file: string,
    private readonly key: string,
    /** Entries found in FILE, by content key (checked when used). */
    private readonly previous: Map<string, unknown>,
  ) {}

  /**
   * Opens FILE for a scan whose entries depend on `key`. A missing FILE, one of another build or options, and a
   * damaged cache start empty (`note` says why, for the last); a FILE that is not a cache throws CacheError.
   */
  static open(given: string, key: string): { cache: ScanCache; note?: string } {
    let file = given;
    let text: string;
    try {
      // A link: the file it leads to is the cache (the rename that saves it must not replace the link).
      file = fs.realpathSync(given);
      const st = fs.statSync(file);
      if (!st.isFile()) throw new CacheError(`${given} is not a regular file; it was left as it is`);
      // The header first: a large file that is not a cache is not read whole.
      const fd = fs.openSync(file, 'r');
      try {
        const head = Buffer.alloc(HEADER.length);
        const n = fs.readSync(fd, head, 0, head.length, 0);
        if (head.subarray(0, n).toString('utf8') !== HEADER) {
          throw new CacheError(`${given} exists and is not a pc-advisor scan cache; it was left as it is (remove it, or choose another file)`);
        }
      } finally {
        fs.closeSync(fd);
      }
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      if (e instanceof CacheError) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        if (isLink(given)) throw new CacheError(`${given} is a symbolic link to a file that does not exist; it was left as it is`);
        return { cache: new ScanCache(given, key, new Map()) };
      }
      throw new CacheError(`cannot read ${given}: ${describeFsError(e)}`);
    }
    let doc: CacheDocument;
    try {
      doc = JSON.parse(text) as CacheDocument;
    } catch {
      return { cache: new ScanCache(file, key, new Map()), note: `the cache ${given} is damaged (not complete JSON); starting a new one` };
    }
    if (doc.version !== VERSION || doc.key !== key || !doc.entries || typeof doc.entries !== 'object') {
      return { cache: new ScanCache(file, key, new Map()) };
    }
    return { cache: new ScanCache(file, key, new Map(Object.entries(doc.entries))) };
  }

  /** The outcome kept for a file with this content key (it is kept for the next scan too), or undefined. */
  get(contentKey: string): CachedOutcome | undefined {
    const kept = this.next.get(contentKey);
    if (kept) {
      this.stats.hits++;
      return kept;
    }
    const e = this.previous.get(contentKey);
    if (e === undefined || !validEntry(e)) return undefined;
    const entry = entryOf(e.findings, e.skipped);
    this.next.set(contentKey, entry);
    this.stats.hits++;
    return entry;
  }

  /** Keeps the outcome of an analysis (one that asked for its content key), unless it must not be reused. */
  put(outcome: ScanOutcome): void {
    const k = outcome.contentKey;
    if (k === undefined) return;
    this.stats.analysed++;
    if (outcome.error !== undefined || outcome.outOfTime || this.next.has(k)) return;
    this.next.set(k, entryOf(outcome.findings, outcome.skipped));
    this.added++;
    this.stats.stored++;
  }

  /**
   * Writes the entries this scan used or added, unless they are exactly the ones FILE holds. Returns why it could
   * not (FILE keeps its previous content), or undefined.
   */
  save(): string | undefined {
    if (this.added === 0 && this.next.size === this.previous.size) return undefined;
    const doc: CacheDocument = { format: 'pc-advisor scan cache', version: VERSION, key: this.key, entries: Object.fromEntries(this.next) };
    const text = JSON.stringify(doc);
    if (!text.startsWith(HEADER)) throw new Error('scan cache: the header is not first'); // a bug, not a user error
    // A new file of its own (`wx`): never one that exists, nor the target of a link planted there.
    const tmp = path.join(path.dirname(this.file), `.${path.basename(this.file)}.${crypto.randomBytes(6).toString('hex')}.tmp`);
    try {
      fs.writeFileSync(tmp, text, { flag: 'wx' });
      fs.renameSync(tmp, this.file);
      return undefined;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        try {
          fs.rmSync(tmp, { force: true });
        } catch {
          /* nothing more to do */
        }
      }
      return describeFsError(e);
    }
  }
}
