/**
 * Shared machinery of the tree-based adapters: starting from prefilter anchors, resolving names to their
 * definitions, following a value to its uses, and walking up from a call to find the loop it runs in and
 * the retry that covers it. Each language adapter supplies the grammar-specific parts.
 */
import type { Node, Tree } from 'web-tree-sitter';
import type { LanguageIdioms } from '../../catalog/idioms/types';
import type { GrammarName } from '../parser';
import type {
  AnalysisInput,
  GuardContext,
  LanguageAdapter,
  LanguageKey,
  LoopContext,
  Site,
  Span,
} from '../types';

/** See TreeAdapter.definitionRegion. */
export interface DefinitionRegion {
  key: string;
  start: number;
  end: number;
  isFileLevel: (offset: number) => boolean;
}

/** Where a name is given a value. */
export interface Definition {
  offset: number;
  value: Node;
  scope: Node;
}

/** What an ancestor of a call means for it. */
export type AncestorRole =
  | {
      kind: 'loop';
      /** The part of the loop that says what it iterates or how long it runs. */
      header: string;
      /** The iterated collection as written, for the message. */
      label?: string;
      /** A condition or counter loop (`while`, `for (;;)`, `for i in range(n)`): a retry loop if it handles 429. */
      counted: boolean;
    }
  | { kind: 'guard'; guard: GuardContext }
  /** A function or lambda. `callback`: it is an argument of a call, so the walk goes on to that call. */
  | { kind: 'function'; callback: boolean };

/** Per-analysis state: the input, what was visited, the sites found, memoised resolutions. */
export class Walk {
  readonly sites: Site[] = [];
  private readonly siteKeys = new Set<string>();
  private readonly visited = new Set<string>();
  readonly retryNames: Set<string>;
  private fileRetryCache: GuardContext | null | undefined;
  private readonly defCache = new Map<string, number[]>();
  /** Definitions of names, memoised by TreeAdapter.resolveName. */
  readonly definitionCache = new Map<string, Definition[]>();

  constructor(
    readonly input: AnalysisInput,
    readonly tree: Tree,
  ) {
    this.retryNames = new Set(
      [...input.idioms.retryWrappers, input.idioms.retryHelper, ...input.extraRetryNames]
        .filter((n) => n)
        .map((n) => n.toLowerCase()),
    );
  }

  get text(): string {
    return this.input.text;
  }

  get idioms(): LanguageIdioms {
    return this.input.idioms;
  }

  /**
   * True once the analysis budget is spent. Loops over every occurrence of a name check it: in a huge or
   * broken file one common name can have thousands, and one tree lookup in a deeply nested broken file can take
   * milliseconds, so the clock (tens of nanoseconds) is read at every call.
   */
  outOfTime(): boolean {
    const b = this.input.budget;
    if (!b) return false;
    if (b.exceeded) return true;
    if (performance.now() > b.deadline) b.exceeded = true;
    return b.exceeded;
  }

  /** True the first time a (node, purpose) pair is seen. */
  firstVisit(node: Node, purpose: string): boolean {
    const key = `${purpose}:${node.startIndex}:${node.endIndex}:${node.typeId}`;
    if (this.visited.has(key)) return false;
    this.visited.add(key);
    return true;
  }

  addSite(site: Site): void {
    const key = `${site.kind}:${site.call.start}:${site.call.end}`;
    if (this.siteKeys.has(key)) return;
    this.siteKeys.add(key);
    this.sites.push(site);
  }

  /** The file-level retry (axios-retry, a mounted urllib3 Retry …), if the file installs one. */
  fileRetry(): GuardContext | undefined {
    if (this.fileRetryCache === undefined) {
      this.fileRetryCache = null;
      for (const re of this.idioms.fileRetry ?? []) {
        const m = re.exec(this.text);
        if (m) {
          this.fileRetryCache = { kind: 'file', name: m[0].split('(')[0].trim() };
          break;
        }
      }
    }
    return this.fileRetryCache ?? undefined;
  }

  /** Offsets of every occurrence of `name` as a whole word (memoised per name and flags). */
  occurrences(name: string, caseInsensitive = false): number[] {
    const key = `${caseInsensitive ? 'i' : 's'}:${name}`;
    let list = this.defCache.get(key);
    if (!list) {
      list = [];
      // Only names are looked up; anything else (an expression, a huge token in a broken file) has no uses.
      if (!/^[\w$@:.-]{1,128}$/.test(name)) {
        this.defCache.set(key, list);
        return list;
      }
      const re = new RegExp(`(?<![\\w$@])${escapeRegExp(name)}(?![\\w])`, caseInsensitive ? 'gi' : 'g');
      let m: RegExpExecArray | null;
      while ((m = re.exec(this.text)) !== null) list.push(m.index);
      this.defCache.set(key, list);
    }
    return list;
  }
}

/**
 * Whether an assignment follows `from`: an `=` that is not part of `==`, `!=`, `<=`, `>=` or (unless `arrow`)
 * `=>`, on the rest of the line, or on the next non-blank line when the rest of this one is blank. With `brace`
 * a `{` counts too (a C# property body). Looks at most 400 characters.
 */
export function assignmentFollows(text: string, from: number, arrow: boolean, brace = false): boolean {
  const limit = Math.min(text.length, from + 400);
  let content = false;
  for (let i = from; i < limit; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) {
      if (content) return false;
      continue;
    }
    if (c === 32 || c === 9) continue;
    content = true;
    if (c === 61 /* = */) {
      const next = text.charCodeAt(i + 1);
      const prev = text.charCodeAt(i - 1);
      if (prev === 61 || prev === 33 || prev === 60 || prev === 62) continue;
      if (next === 61) {
        i++;
        continue;
      }
      if (next === 62 /* > */ && !arrow) {
        i++;
        continue;
      }
      return true;
    }
    if (brace && c === 123 /* { */) return true;
  }
  return false;
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function spanOf(node: Node): Span {
  return { start: node.startIndex, end: node.endIndex };
}

export function contains(outer: Node, inner: Node): boolean {
  return outer.startIndex <= inner.startIndex && inner.endIndex <= outer.endIndex;
}

/** Splits camelCase and snake_case so that word tests see `max Retries`, not `maxRetries`. */
function words(s: string): string {
  return s.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]/g, ' ');
}

const RETRY_WORDS = /\b(?:attempts?|retry|retries|retrying|tries|try count|backoff|back off)\b/i;
const ACTIVITY_LOG_WORDS = /\b(?:changed|audit|audit records?|activity log)\b/i;
const RETRY_BODY = /\b429\b|TooManyRequests|Too Many Requests|Retry-?After|retry_after|RetryAfter/i;

const MAX_DEPTH = 6;

export abstract class TreeAdapter implements LanguageAdapter {
  abstract readonly language: LanguageKey;
  abstract readonly idioms: LanguageIdioms;
  abstract readonly comment: { line?: string; block?: readonly [string, string] };
  abstract grammar(fileName: string, languageId?: string): GrammarName | null;

  /** Starts from one anchor (the smallest node at a prefilter hit). */
  protected abstract fromAnchor(node: Node, w: Walk): void;

  /**
   * What an ancestor means for a call below it (`child` is the ancestor's child on the path from the call):
   * a loop, a retry guard, a function boundary; undefined for anything else.
   */
  protected abstract classify(ancestor: Node, child: Node, w: Walk): AncestorRole | undefined;

  /**
   * If `nameNode` (an identifier found where a definition may be) is the name being defined, the value it is
   * given (`x = value`, `const x = value`, `$x = value`, `x := value`); otherwise null.
   */
  protected abstract definitionValue(nameNode: Node): Node | null;

  /** The scope a definition is visible in: the enclosing function or the file. */
  protected abstract scopeOf(node: Node): Node;

  findSites(input: AnalysisInput): Site[] {
    if (!input.tree) return [];
    const w = new Walk(input, input.tree);
    const root = input.tree.rootNode;
    let leafEnd = -1;
    const budget = input.budget;
    for (const offset of input.anchors) {
      // Anchors inside the leaf already visited (a long string) lead to the same place.
      if (offset < leafEnd) continue;
      if (budget && performance.now() > budget.deadline) {
        budget.exceeded = true;
        break;
      }
      const node = root.descendantForIndex(offset, offset);
      if (!node) continue;
      leafEnd = node.childCount === 0 ? node.endIndex : -1;
      this.fromAnchor(node, w);
    }
    return w.sites;
  }

  /** Loop and guard of a call: walks up to the enclosing named function (through callbacks). */
  protected context(call: Node, w: Walk, kind: Site['kind']): { loop?: LoopContext; guard?: GuardContext } {
    let loop: LoopContext | undefined;
    let guard: GuardContext | undefined;
    let child = call;
    let anc = call.parent;
    let steps = 0;
    while (anc && steps++ < 400) {
      const role = this.classify(anc, child, w);
      if (role) {
        if (role.kind === 'guard') {
          guard ??= role.guard;
        } else if (role.kind === 'loop') {
          const header = words(role.header);
          const retryLoop = RETRY_WORDS.test(header) || (role.counted && RETRY_BODY.test(anc.text));
          if (retryLoop) guard ??= { kind: 'retry-loop', name: role.header.trim().slice(0, 60) };
          // A loop over what the Activity Log says changed is the recommended pattern, not polling.
          else if (!ACTIVITY_LOG_WORDS.test(header)) loop ??= { span: spanOf(anc), label: role.label };
        } else if (role.kind === 'function' && !role.callback) {
          break;
        }
      }
      child = anc;
      anc = anc.parent;
    }
    if (!guard && kind === 'http') guard = w.fileRetry();
    return { loop, guard };
  }

  /** Is `name` one of the recognised retry wrappers (idioms, our helper, settings)? */
  protected isRetryName(name: string, w: Walk): boolean {
    return w.retryNames.has(name.toLowerCase());
  }

  /** Does a method call on `receiverText` run its callback under a retry (Polly `policy.ExecuteAsync`)? */
  protected isRetryMethod(method: string, receiverText: string, w: Walk): boolean {
    const m = method.toLowerCase();
    return (w.idioms.retryMethods ?? []).some((r) => r.method.toLowerCase() === m && r.receiver.test(receiverText));
  }

  /**
   * Could the name ending at `end` be given a value there? A cheap, conservative text test (never false for a
   * real definition): an assignment `=` follows on the rest of the line, or on the next line when the name
   * ends its line. Languages with other definition forms (C# property getters) widen it.
   */
  protected mayDefine(text: string, end: number): boolean {
    return assignmentFollows(text, end, false);
  }

  /**
   * Where definitions visible at `use` can be, for a language whose top-level functions cannot see into each
   * other (Go): the use's own top-level declaration [start, end) and the file-level code. Undefined: anywhere.
   */
  protected definitionRegion(_use: Node, _w: Walk): DefinitionRegion | undefined {
    return undefined;
  }

  /** The definitions of `name` that can be visible at `use` (memoised per analysis: resolution stays linear). */
  private definitions(name: string, use: Node, w: Walk, caseInsensitive: boolean): Definition[] {
    const all = w.occurrences(name, caseInsensitive);
    // Narrowing pays for itself only for common names (the region costs a pass over the top-level declarations).
    const region = all.length > 32 ? this.definitionRegion(use, w) : undefined;
    if (!region) return this.definitionsAt(name, w, caseInsensitive, 'all', () => all);
    const own = this.definitionsAt(name, w, caseInsensitive, region.key, () => {
      // Occurrences are sorted: the region's are one slice.
      let lo = 0;
      let hi = all.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (all[mid] < region.start) lo = mid + 1;
        else hi = mid;
      }
      let end = lo;
      while (end < all.length && all[end] < region.end) end++;
      return all.slice(lo, end);
    });
    const file = this.definitionsAt(name, w, caseInsensitive, 'file', () => all.filter(region.isFileLevel));
    return file.length === 0 ? own : own.length === 0 ? file : [...own, ...file];
  }

  private definitionsAt(name: string, w: Walk, caseInsensitive: boolean, where: string, offsets: () => readonly number[]): Definition[] {
    const key = `${caseInsensitive ? 'i' : 's'}:${where}:${name}`;
    let defs = w.definitionCache.get(key);
    if (!defs) {
      defs = [];
      for (const offset of offsets()) {
        // Most occurrences are uses: a look at the text after the name spares the tree lookup.
        if (!this.mayDefine(w.text, offset + name.length)) continue;
        if (w.outOfTime()) break;
        const nameNode = w.tree.rootNode.descendantForIndex(offset, offset + name.length);
        if (!nameNode) continue;
        const value = this.definitionValue(nameNode);
        if (!value) continue;
        defs.push({ offset, value, scope: this.scopeOf(nameNode) });
      }
      w.definitionCache.set(key, defs);
    }
    return defs;
  }

  /**
   * The value a name has at `use`: the closest definition before it in an enclosing scope, else one at file
   * level (a constant defined further down). Null when there is none (a parameter, an import).
   */
  protected resolveName(name: string, use: Node, w: Walk, caseInsensitive = false): Node | null {
    let best: Node | null = null;
    let bestScore = -Infinity;
    for (const d of this.definitions(name, use, w, caseInsensitive)) {
      if (d.offset >= use.startIndex && d.offset < use.endIndex) continue;
      if (contains(d.value, use) || !contains(d.scope, use)) continue;
      // Closest enclosing scope wins; within it the last definition before the use, else the first after.
      const before = d.offset < use.startIndex;
      const score = d.scope.startIndex * 4 + (before ? 2 : 0) + (before ? d.offset / 1e12 : -d.offset / 1e12);
      if (score > bestScore) {
        bestScore = score;
        best = d.value;
      }
    }
    return best;
  }

  /**
   * Identifier nodes that use `name` inside `scope`, other than the definition itself. Lazy, and it stops when the
   * analysis budget is spent: callers do tree work for every use (a parent lookup costs the depth of the tree),
   * so the budget must hold between uses, not only while they are collected.
   */
  protected *usesOf(name: string, definition: Node, scope: Node, w: Walk, caseInsensitive = false): Generator<Node> {
    for (const offset of w.occurrences(name, caseInsensitive)) {
      if (offset < scope.startIndex || offset >= scope.endIndex) continue;
      if (w.outOfTime()) return;
      if (offset >= definition.startIndex && offset < definition.endIndex) continue;
      const n = w.tree.rootNode.descendantForIndex(offset, offset + name.length);
      if (n && n.endIndex - n.startIndex >= name.length && !this.definitionValue(n)) yield n;
    }
  }

  protected static readonly maxDepth = MAX_DEPTH;
}
