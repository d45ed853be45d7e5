/**
 * The engine: prefilter, parse (incrementally for open documents), let the language adapter find call
 * sites, match them to the catalog, apply settings and suppressions. It knows no LSP; the language server
 * and the CLI are thin layers over it.
 */
import { Edit, type Parser, type Tree } from 'web-tree-sitter';
import { operation } from '../catalog/operations';
import { rule, RULE_IDS } from '../catalog/rules';
import { findingDoc, langOf, message, skippedMessage } from '../catalog/text';
import { adapterFor } from './adapters';
import { applyEdits, Fix, fixesFor, SourceText } from './fixes';
import { FileEvidence, matchSite } from './match';
import { GrammarName, loadedParser, parserFor, renewParser, tooDeep } from './parser';
import { anchors, anchorsAfterEdit, mayMatter } from './prefilter';
import { findSuppressions, isSuppressed } from './suppress';
import {
  AnalysisResult,
  Budget,
  DEFAULT_OPTIONS,
  EngineOptions,
  Finding,
  LanguageAdapter,
  Position,
  PreviousAnalysis,
  Range,
  Recognition,
  Site,
  SiteAnalysis,
  SiteCache,
  Span,
} from './types';
import { hostSet } from './url';

/** Offsets to LSP positions (UTF-16 code units, lines split at \n, \r\n and \r). */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(
    private readonly text: string,
    /** Line starts already known (see afterEdit). */
    starts?: number[],
  ) {
    if (starts) {
      this.starts = starts;
      return;
    }
    if (text.indexOf('\r') < 0) {
      // The common case, several times faster than a character loop.
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
      return;
    }
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      }
    }
  }

  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    const line = this.lineOf(o);
    return { line, character: o - this.starts[line] };
  }

  offsetAt(p: Position): number {
    if (p.line < 0) return 0;
    if (p.line >= this.starts.length) return this.text.length;
    const start = this.starts[p.line];
    const next = p.line + 1 < this.starts.length ? this.starts[p.line + 1] : this.text.length;
    // Do not run past the line's end (its line break).
    let end = next;
    while (end > start && (this.text.charCodeAt(end - 1) === 10 || this.text.charCodeAt(end - 1) === 13)) end--;
    return Math.min(start + Math.max(0, p.character), Math.max(start, end));
  }

  rangeOf(span: Span): Range {
    return { start: this.positionAt(span.start), end: this.positionAt(span.end) };
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /**
   * The index of `text`, the text of `previous` with [start, oldEnd) replaced by newEnd - start characters,
   * without reading the whole text again. Whether an offset starts a line depends on the two characters around it
   * (`\r\n` is one break), so the offsets next to the edit are looked at again, and the line starts after it are
   * the previous ones, moved.
   */
  static afterEdit(previous: LineIndex, text: string, start: number, oldEnd: number, newEnd: number): LineIndex {
    const old = previous.starts;
    const starts = [0];
    let i = 1;
    while (i < old.length && old[i] < start) starts.push(old[i++]);
    const last = Math.min(newEnd + 1, text.length);
    for (let p = Math.max(start, 1); p <= last; p++) {
      const c = text.charCodeAt(p - 1);
      if (c === 10 || (c === 13 && text.charCodeAt(p) !== 10)) starts.push(p);
    }
    while (i < old.length && old[i] <= oldEnd + 1) i++;
    const delta = newEnd - oldEnd;
    for (; i < old.length; i++) starts.push(old[i] + delta);
    return new LineIndex(text, starts);
  }
}

/** Where an insertion of `text` at `start` ends (line breaks: \n, \r\n, \r). */
function endOfInsert(start: Position, text: string): Position {
  let line = start.line;
  let lineStart = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) {
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      line++;
      lineStart = i + 1;
    }
  }
  return lineStart < 0 ? { line, character: start.character + text.length } : { line, character: text.length - lineStart };
}

/** Parsing gives up after this long (a pathological file); the document is then reported as skipped. */
const PARSE_BUDGET_MS = 600;
/** Finding call sites stops after this long; what was found is reported, with a note that it is partial. */
const ANALYSIS_BUDGET_MS = 500;
/**
 * Parse and analysis of one version together stay under this: after a slow parse the analysis gets what is left
 * (at least MIN_ANALYSIS_MS), so that a document is answered within a second even on a loaded machine.
 */
const DOCUMENT_BUDGET_MS = 800;
const MIN_ANALYSIS_MS = 100;

/** The analysis budget after a parse that took `parseMs`. */
function analysisBudget(parseMs: number): number {
  return Math.max(MIN_ANALYSIS_MS, Math.min(ANALYSIS_BUDGET_MS, DOCUMENT_BUDGET_MS - parseMs));
}

function looksBinary(text: string): boolean {
  const head = text.slice(0, 8192);
  return head.includes('\u0000') || (head.match(/\uFFFD/g)?.length ?? 0) > 8;
}

export class Engine {
  private opts: EngineOptions;
  private pcHosts: Set<string>;

  constructor(options: Partial<EngineOptions> = {}) {
    this.opts = { ...DEFAULT_OPTIONS, ...options };
    this.pcHosts = hostSet(this.opts.extraHosts);
  }

  get options(): EngineOptions {
    return this.opts;
  }

  configure(options: Partial<EngineOptions>): void {
    this.opts = { ...this.opts, ...options };
    this.pcHosts = hostSet(this.opts.extraHosts);
  }

  adapterFor(fileName: string, languageId?: string): LanguageAdapter | undefined {
    return adapterFor(fileName, languageId);
  }

  /** One-shot analysis (the CLI): nothing is kept. */
  async analyzeText(text: string, fileName: string, languageId?: string): Promise<AnalysisResult> {
    const adapter = adapterFor(fileName, languageId);
    if (!adapter) return { findings: [], recognitions: [] };
    const skipped = this.skipReason(text);
    if (skipped) return { findings: [], recognitions: [], skipped };
    if (!mayMatter(text)) return { findings: [], recognitions: [] };
    const grammar = adapter.grammar(fileName, languageId);
    // Tree adapters start from the prefilter's anchors: without one there is nothing to find, so no parse.
    if (grammar && anchors(text).length === 0) return { findings: [], recognitions: [] };
    let tree: Tree | null = null;
    let parseMs = 0;
    if (grammar) {
      const parser = await parserFor(grammar);
      const started = performance.now();
      tree = parseSync(parser, text, null, grammar);
      parseMs = performance.now() - started;
      if (!tree) return { findings: [], recognitions: [], skipped: skippedMessage('timeout', langOf(this.opts.locale)), outOfTime: true };
      if (tooDeep(tree)) {
        tree.delete();
        return { findings: [], recognitions: [], skipped: skippedMessage('nesting', langOf(this.opts.locale)) };
      }
    }
    try {
      return this.analyzeParsed(adapter, text, tree, undefined, analysisBudget(parseMs));
    } finally {
      tree?.delete();
    }
  }

  /** Opens a document that is kept (with its tree) and re-analysed on edits. */
  async openDocument(fileName: string, languageId: string | undefined, text: string): Promise<EngineDocument | undefined> {
    const adapter = adapterFor(fileName, languageId);
    if (!adapter) return undefined;
    const grammar = adapter.grammar(fileName, languageId);
    if (grammar) await parserFor(grammar); // load the grammar now; later edits are synchronous
    return new EngineDocument(this, adapter, grammar, text, fileName);
  }

  /**
   * Applies every safe fix (the agreement type) to a text, re-analysing after each one, and returns the
   * result. Fixes that would need review (retry, Activity Log) are never applied here.
   */
  async fixAll(text: string, fileName: string, languageId?: string): Promise<string> {
    const doc = await this.openDocument(fileName, languageId, text);
    if (!doc) return text;
    try {
      const tried = new Set<string>();
      for (let round = 0; round < 200; round++) {
        const { findings } = doc.analyze();
        let applied = false;
        for (const f of findings) {
          const key = `${f.rule}:${f.span.start}:${doc.text.length}`;
          if (tried.has(key)) continue;
          tried.add(key);
          const fix = doc.fixes(f).find((x) => x.safe && x.edits.length > 0);
          if (!fix) continue;
          doc.applyChanges([{ text: applyEdits(doc.text, fix.edits) }]);
          applied = true;
          break;
        }
        if (!applied) break;
      }
      return doc.text;
    } finally {
      doc.dispose();
    }
  }

  /** Skipped documents: why, localised; undefined when the document is analysed. */
  skipReason(text: string): string | undefined {
    const lang = langOf(this.opts.locale);
    if (text.length > this.opts.maxFileSize) return skippedMessage('size', lang, this.opts.maxFileSize);
    if (looksBinary(text)) return skippedMessage('binary', lang);
    return undefined;
  }

  /** @internal Analysis of a parsed document. */
  analyzeParsed(adapter: LanguageAdapter, text: string, tree: Tree | null, lineIndex?: LineIndex, budgetMs = ANALYSIS_BUDGET_MS): AnalysisResult {
    return this.analyzeWithCache(adapter, text, tree, lineIndex, budgetMs).result;
  }

  /**
   * @internal Analysis of a parsed document that may reuse the sites of its previous analysis (see
   * TreeAdapter.analyzeSites) and returns what the next one may reuse.
   */
  analyzeWithCache(
    adapter: LanguageAdapter,
    text: string,
    tree: Tree | null,
    lineIndex: LineIndex | undefined,
    budgetMs: number,
    previous?: PreviousAnalysis,
  ): { result: AnalysisResult; cache?: SiteCache; reused: number; anchors?: readonly number[] } {
    if (!mayMatter(text)) return { result: { findings: [], recognitions: [] }, reused: 0 };
    const budget: Budget = { deadline: performance.now() + budgetMs, exceeded: false };
    const textAnchors = previous?.anchors ? anchorsAfterEdit(previous.anchors, text, previous.change) : anchors(text);
    const input = {
      text,
      tree,
      anchors: textAnchors,
      idioms: adapter.idioms,
      extraRetryNames: this.opts.retryHelpers,
      budget,
    };
    const found: SiteAnalysis = adapter.analyzeSites ? adapter.analyzeSites(input, previous) : { sites: adapter.findSites(input), reused: 0 };
    const result = this.findingsOf(adapter, text, tree, lineIndex, found.sites, budget.exceeded);
    return { result, cache: found.cache, reused: found.reused, anchors: input.anchors };
  }

  private findingsOf(adapter: LanguageAdapter, text: string, tree: Tree | null, lineIndex: LineIndex | undefined, sites: readonly Site[], outOfTime: boolean): AnalysisResult {
    // Out of time (a pathological file): report what was found so far, and say so once.
    const partial = outOfTime ? skippedMessage('partial', langOf(this.opts.locale)) : undefined;
    if (sites.length === 0) return withTime({ findings: [], recognitions: [], skipped: partial }, outOfTime);

    const evidence = this.evidence(text, adapter);
    const lines = lineIndex ?? new LineIndex(text);
    const supp = findSuppressions(
      text,
      (offset) => isCommentAt(tree, text, offset, adapter),
      (offset) => lines.lineOf(offset),
    );
    const lang = langOf(this.opts.locale);
    const recognitions: Recognition[] = [];
    const findings: Finding[] = [];
    for (const site of sites) {
      for (const m of matchSite(site, this.pcHosts, evidence)) {
        recognitions.push({ site, operation: m.op.slug });
        if (!m.rule) continue;
        const setting = this.opts.rules[m.rule] ?? rule(m.rule).severity;
        if (setting === 'off') continue;
        const range = lines.rangeOf(site.span);
        if (isSuppressed(supp, m.rule, range.start.line)) continue;
        const op = operation(m.op.slug)!;
        findings.push({
          rule: m.rule,
          operation: m.op.slug,
          severity: setting,
          span: site.span,
          range,
          message: message(m.rule, op, lang, { loopLabel: site.loop?.label, requirement: m.requirement }),
          docUrl: findingDoc(op),
          site,
          requirement: m.requirement,
        });
      }
    }
    findings.sort((a, b) => a.span.start - b.span.start || RULE_IDS.indexOf(a.rule) - RULE_IDS.indexOf(b.rule));
    return withTime({ findings, recognitions, skipped: partial }, outOfTime);
  }

  private evidence(text: string, adapter: LanguageAdapter): FileEvidence {
    const sdk = !!adapter.idioms.sdkEvidence?.test(text);
    let partnerCenter = sdk || /partner-?center/i.test(text);
    if (!partnerCenter) {
      for (const h of this.pcHosts) {
        if (text.toLowerCase().includes(h)) {
          partnerCenter = true;
          break;
        }
      }
    }
    return { partnerCenter, sdk };
  }
}

/** Marks a result whose analysis ran out of time (see AnalysisResult.outOfTime). */
function withTime(result: AnalysisResult, outOfTime: boolean): AnalysisResult {
  if (outOfTime) result.outOfTime = true;
  return result;
}

function isCommentAt(tree: Tree | null, text: string, offset: number, adapter: LanguageAdapter): boolean {
  if (tree) {
    const n = tree.rootNode.descendantForIndex(offset, offset);
    return !!n && /comment/.test(n.type);
  }
  // Line-based languages: the directive must follow the comment marker on its line.
  const lineStart = Math.max(text.lastIndexOf('\n', offset - 1), text.lastIndexOf('\r', offset - 1)) + 1;
  const before = text.slice(lineStart, offset).trimStart();
  const marker = adapter.comment.line;
  return !!marker && (before.startsWith(marker) || before.startsWith('//'));
}

/** Characters handed to tree-sitter per read while it parses (see textReader). */
const PARSE_PIECE = 256;

/**
 * The text as the parser reads it: in short pieces while it parses, then (for `Node.text`, which reads a tree's
 * text through the same function) all the rest at once, as web-tree-sitter does for a string. The runtime copies
 * each piece into its buffer one character at a time, up to 5,000; an incremental parse of a 5,000-line file
 * reads at some thirty places, so whole buffers cost about 0.6 ms of a keystroke, short pieces almost nothing.
 * A whole parse takes as long either way (measured on the benchmark's files).
 */
function textReader(text: string): { read: (index: number) => string; parsed: () => void } {
  let parsing = true;
  return {
    read: (index) => (parsing ? text.slice(index, index + PARSE_PIECE) : text.slice(index)),
    parsed: () => {
      parsing = false;
    },
  };
}

function parseSync(parser: Parser, text: string, old: Tree | null, grammar: GrammarName): Tree | null {
  const deadline = Date.now() + PARSE_BUDGET_MS;
  const parse = (p: Parser, previous: Tree | undefined): Tree | null => {
    const reader = textReader(text);
    try {
      return p.parse(reader.read, previous, { progressCallback: () => Date.now() > deadline });
    } finally {
      reader.parsed();
    }
  };
  try {
    return parse(parser, old ?? undefined);
  } catch (e) {
    // A failure inside WebAssembly (seen once in 100,000 fuzzed documents): start again with a new parser and
    // no old tree, once; if that fails too, the document is reported as not analysed rather than crashing.
    if (!(e instanceof Error && e.name === 'RuntimeError')) throw e;
    const fresh = renewParser(grammar);
    if (!fresh) return null;
    try {
      return parse(fresh, undefined);
    } catch {
      renewParser(grammar);
      return null;
    }
  } finally {
    try {
      parser.reset();
    } catch {
      /* a parser replaced above */
    }
  }
}

/** A text change, in the coordinates of the text before it (LSP incremental sync). */
export interface TextChange {
  range?: Range;
  text: string;
}

/**
 * An open document: its text and, once it may hold a call site, its syntax tree, re-parsed incrementally
 * after each edit. Call `dispose()` when the document closes (tree-sitter memory is not garbage-collected).
 */
export class EngineDocument {
  private tree: Tree | null = null;
  private treeIsCurrent = false;
  /** The tree was parsed without an old tree since the last analysis (no changed ranges to go by). */
  private freshTree = true;
  /** The tree before the last re-parse, edited to the new positions; kept until the analysis that follows ends. */
  private oldTree: Tree | null = null;
  private parsesSinceAnalysis = 0;
  /** Length of the text whose parse ran out of time (-1: none). */
  private failedLength = -1;
  private lines: LineIndex | undefined;
  /** The last complete analysis: its text, its anchors and the sites the next one may reuse. */
  private previous: { text: string; cache: SiteCache; anchors?: readonly number[] } | undefined;
  /** Every edit since that analysis, as one window ([start, oldEnd) of its text became [start, newEnd)). */
  private window: { start: number; oldEnd: number; newEnd: number } | undefined;
  /** Where re-parses since that analysis changed the tree, in the current text. */
  private changedRanges: Span[] = [];
  /** How many groups of sites the last `analyze()` reused (for tests and the benchmark). */
  lastReused = 0;

  constructor(
    private readonly engine: Engine,
    readonly adapter: LanguageAdapter,
    private readonly grammar: GrammarName | null,
    private content: string,
    readonly fileName: string,
  ) {}

  get text(): string {
    return this.content;
  }

  /** Applies LSP-style changes (in order); with ranges the tree is edited and re-parsed incrementally. */
  applyChanges(changes: readonly TextChange[]): void {
    for (const change of changes) {
      if (!change.range) {
        this.content = change.text;
        this.lines = undefined;
        this.dropTree();
        this.previous = undefined;
        continue;
      }
      const lines = this.lineIndex();
      const start = lines.offsetAt(change.range.start);
      const oldEnd = Math.max(start, lines.offsetAt(change.range.end));
      this.noteEdit(start, oldEnd, change.text.length);
      const next = this.content.slice(0, start) + change.text + this.content.slice(oldEnd);
      if (this.tree) {
        const newEnd = start + change.text.length;
        const startPosition = lines.positionAt(start);
        this.tree.edit(new Edit({
          startIndex: start,
          oldEndIndex: oldEnd,
          newEndIndex: newEnd,
          startPosition: toPoint(startPosition),
          oldEndPosition: toPoint(lines.positionAt(oldEnd)),
          newEndPosition: toPoint(endOfInsert(startPosition, change.text)),
        }));
        this.treeIsCurrent = false;
      }
      this.content = next;
      this.lines = LineIndex.afterEdit(lines, next, start, oldEnd, start + change.text.length);
    }
  }

  /** Widens the edit window by an edit of the current text ([start, oldEnd) replaced by `length` characters). */
  private noteEdit(start: number, oldEnd: number, length: number): void {
    const delta = length - (oldEnd - start);
    if (!this.window) {
      this.window = { start, oldEnd, newEnd: start + length };
    } else {
      // After the window's end the text is the previous analysis's, moved by the window's delta.
      const end = Math.max(this.window.newEnd, oldEnd);
      this.window = { start: Math.min(this.window.start, start), oldEnd: end - (this.window.newEnd - this.window.oldEnd), newEnd: end + delta };
    }
    // Changed ranges of a re-parse since the analysis move with the text.
    this.changedRanges = this.changedRanges.map((r) =>
      r.end <= start ? r : r.start >= oldEnd ? { start: r.start + delta, end: r.end + delta } : { start: Math.min(r.start, start), end: Math.max(r.end, oldEnd) + delta },
    );
  }

  analyze(): AnalysisResult {
    try {
      return this.analyzeVersion();
    } finally {
      this.releaseOldTree();
      this.parsesSinceAnalysis = 0;
    }
  }

  private analyzeVersion(): AnalysisResult {
    const previous = this.previous;
    const window = this.window;
    const changedRanges = this.changedRanges;
    this.previous = undefined;
    this.window = undefined;
    this.changedRanges = [];
    this.lastReused = 0;
    const skipped = this.engine.skipReason(this.content);
    if (skipped) {
      this.dropTree();
      return { findings: [], recognitions: [], skipped };
    }
    if (!mayMatter(this.content)) return { findings: [], recognitions: [] };
    const started = performance.now();
    if (this.grammar && !this.ensureTree(changedRanges)) {
      return { findings: [], recognitions: [], skipped: skippedMessage('timeout', langOf(this.engine.options.locale)), outOfTime: true };
    }
    if (this.grammar && tooDeep(this.tree!)) {
      return { findings: [], recognitions: [], skipped: skippedMessage('nesting', langOf(this.engine.options.locale)) };
    }
    const budget = analysisBudget(performance.now() - started);
    // Reuse needs the tree's changed ranges: a tree parsed from scratch since (dropped, failed) has none. Line-based
    // languages (.http) have no tree: their reuse goes by text.
    const reuse: PreviousAnalysis | undefined =
      previous && window && (!this.grammar || !this.freshTree)
        ? { text: previous.text, cache: previous.cache, change: window, changedRanges, oldTree: this.oldTree ?? undefined, anchors: previous.anchors }
        : undefined;
    this.freshTree = false;
    const { result, cache, reused, anchors } = this.engine.analyzeWithCache(this.adapter, this.content, this.grammar ? this.tree : null, this.lineIndex(), budget, reuse);
    this.lastReused = reused;
    if (cache) this.previous = { text: this.content, cache, anchors };
    return result;
  }

  /** The line index of the current text, built once per version. */
  private lineIndex(): LineIndex {
    return (this.lines ??= new LineIndex(this.content));
  }

  /** Quick fixes for a finding of the current text (from `analyze()` on the same text). */
  fixes(finding: Finding): Fix[] {
    return fixesFor(this.adapter, {
      text: this.content,
      tree: this.syntaxTree(),
      finding,
      source: new SourceText(this.content),
      lang: langOf(this.engine.options.locale),
      fileName: this.fileName,
    });
  }

  /** The current syntax tree (parsed on demand), for fixes and hovers; null for line-based languages. */
  syntaxTree(): Tree | null {
    if (!this.grammar) return null;
    return this.ensureTree() ? this.tree : null;
  }

  /** Changed ranges of re-parses go to `ranges` (by default those kept for the next analysis). */
  private ensureTree(ranges: Span[] = this.changedRanges): boolean {
    if (this.tree && this.treeIsCurrent) return true;
    // A document whose parse ran out of time is not re-parsed on every keystroke, only once it has changed a lot.
    if (this.failedLength >= 0 && Math.abs(this.content.length - this.failedLength) < this.failedLength * 0.2) return false;
    const parser = parserIfLoaded(this.grammar!);
    const old = this.tree;
    const tree = parseSync(parser, this.content, old, this.grammar!);
    if (!old || !tree) this.freshTree = true;
    if (old && tree) {
      try {
        for (const r of tree.getChangedRanges(old)) ranges.push({ start: r.startIndex, end: r.endIndex });
      } catch {
        this.freshTree = true;
      }
    }
    // The previous tree, edited to the new positions, helps the next analysis decide what it may reuse; only the
    // tree of the last analysed version is of use (one parse since), and it goes when that analysis ends.
    this.parsesSinceAnalysis++;
    this.releaseOldTree();
    if (old && tree && this.parsesSinceAnalysis === 1) {
      this.oldTree = old;
    } else {
      try {
        old?.delete();
      } catch {
        /* a tree of a parser that failed */
      }
    }
    this.tree = tree;
    this.treeIsCurrent = !!tree;
    this.failedLength = tree ? -1 : this.content.length;
    return !!tree;
  }

  private dropTree(): void {
    this.tree?.delete();
    this.tree = null;
    this.treeIsCurrent = false;
    this.releaseOldTree();
  }

  private releaseOldTree(): void {
    try {
      this.oldTree?.delete();
    } catch {
      /* a tree of a parser that failed */
    }
    this.oldTree = null;
  }

  dispose(): void {
    this.dropTree();
  }
}

function toPoint(p: Position): { row: number; column: number } {
  return { row: p.line, column: p.character };
}

function parserIfLoaded(grammar: GrammarName): Parser {
  const p = loadedParser(grammar);
  if (!p) throw new Error(`grammar ${grammar} used before it was loaded`);
  return p;
}
