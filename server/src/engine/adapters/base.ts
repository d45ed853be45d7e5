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
  PreviousAnalysis,
  Site,
  SiteAnalysis,
  SiteGroup,
  Span,
} from '../types';

/**
 * Why occurrences of a name are read, which says which occurrences can matter to a use elsewhere (see
 * TreeAdapter.nameTouches):
 *  - 'scoped': declarations, visible where TreeAdapter.scopeOf says (resolveName, Go's typed declarations);
 *  - 'assignments': only those given a value (TreeAdapter.definitionValue), wherever they are (`self.x = …`);
 *  - a span: uses inside that scope;
 *  - 'any'.
 */
export type OccurrencePurpose = 'any' | 'scoped' | 'assignments' | Span;

/** What `Walk.occurrences` looks up: a name, not an expression or a huge token of a broken file. */
const OCCURRING_NAME = /^[\w$@:.-]{1,128}$/;

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

/**
 * Per-analysis state: the input, memoised resolutions, and the current group's visits, sites and reads.
 *
 * Anchors are analysed in groups (the anchors of one function, see TreeAdapter.analyzeSites); each group starts
 * with nothing visited, so that a group's sites depend only on the text and not on the groups before it, and
 * records the names whose occurrences it read: what lets the next version of the document reuse the group.
 * Memoised resolutions are shared by all groups (they are functions of the text), and replay the names they read.
 */
export class Walk {
  sites: Site[] = [];
  private siteKeys = new Set<string>();
  private visited = new Set<string>();
  /** Names the current group read, with why (see `occurrences` and OccurrencePurpose). */
  private names = new Set<string>();
  readonly retryNames: Set<string>;
  private fileRetryCache: GuardContext | null | undefined;
  private readonly defCache = new Map<string, number[]>();
  private readonly memos = new Map<string, { value: unknown; names: Set<string> }>();

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
    const key = siteKey(site);
    if (this.siteKeys.has(key)) return;
    this.siteKeys.add(key);
    this.sites.push(site);
  }

  /** Starts a group of anchors: nothing visited, no site, no name read yet. */
  beginGroup(): void {
    this.sites = [];
    this.siteKeys = new Set();
    this.visited = new Set();
    this.names = new Set();
  }

  /** The names the current group read. */
  namesRead(): string[] {
    return [...this.names];
  }

  /**
   * A value computed once per analysis from the text (a declaration looked up by name, …). A group that gets it
   * from the memo is recorded as reading the names its computation read.
   */
  memo<T>(key: string, compute: () => T): T {
    const hit = this.memos.get(key);
    if (hit) {
      for (const n of hit.names) this.names.add(n);
      return hit.value as T;
    }
    const outer = this.names;
    const inner = new Set<string>();
    this.names = inner;
    let value: T;
    try {
      value = compute();
    } finally {
      this.names = outer;
      for (const n of inner) outer.add(n);
    }
    this.memos.set(key, { value, names: inner });
    return value;
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
  occurrences(name: string, caseInsensitive = false, purpose: OccurrencePurpose = 'any'): number[] {
    // Only names are looked up; anything else (an expression, a huge token in a broken file) has no uses.
    if (!OCCURRING_NAME.test(name)) return [];
    this.record(name, caseInsensitive, purpose);
    const key = `${caseInsensitive ? 'i' : 's'}:${name}`;
    let list = this.defCache.get(key);
    if (!list) {
      list = [];
      const re = new RegExp(`(?<![\\w$@])${escapeRegExp(name)}(?![\\w])`, caseInsensitive ? 'gi' : 'g');
      let m: RegExpExecArray | null;
      while ((m = re.exec(this.text)) !== null) list.push(m.index);
      this.defCache.set(key, list);
    }
    return list;
  }

  /**
   * `occurrences(prefix + name)` for each prefix (PowerShell's `$x`, `@x`, `$script:x` …), recorded the same way,
   * but found in one pass over the text: every spelling ends with the name after one of the prefixes' last
   * characters, so one search for the name finds them all, and each prefix is then tried in front of it.
   */
  occurrencesOfSpellings(name: string, prefixes: readonly string[], caseInsensitive: boolean, purpose: (prefix: string) => OccurrencePurpose): Map<string, number[]> {
    const out = new Map<string, number[]>();
    const missing: string[] = [];
    for (const prefix of prefixes) {
      const spelling = prefix + name;
      if (!prefix || !OCCURRING_NAME.test(spelling)) {
        out.set(prefix, this.occurrences(spelling, caseInsensitive, purpose(prefix)));
        continue;
      }
      this.record(spelling, caseInsensitive, purpose(prefix));
      const list = this.defCache.get(`${caseInsensitive ? 'i' : 's'}:${spelling}`);
      if (list) out.set(prefix, list);
      else missing.push(prefix);
    }
    if (missing.length === 0) return out;
    const flags = caseInsensitive ? 'iy' : 'y';
    // A spelling starts where nothing of a name comes before it (as in `occurrences`).
    const starts = missing.map((prefix) => ({ prefix, re: new RegExp(`(?<![\\w$@])${escapeRegExp(prefix)}`, flags), list: [] as number[] }));
    // The prefixes' last characters, as a class before the name (a lookbehind there would slow the search tenfold).
    const before = [...new Set(missing.map((p) => escapeRegExp(p.slice(-1))))].join('');
    const tail = new RegExp(`[${before}]${escapeRegExp(name)}(?![\\w])`, caseInsensitive ? 'gi' : 'g');
    let m: RegExpExecArray | null;
    while ((m = tail.exec(this.text)) !== null) {
      for (const s of starts) {
        const at = m.index + 1 - s.prefix.length;
        if (at < 0) continue;
        s.re.lastIndex = at;
        if (s.re.test(this.text)) s.list.push(at);
      }
    }
    for (const s of starts) {
      this.defCache.set(`${caseInsensitive ? 'i' : 's'}:${s.prefix + name}`, s.list);
      out.set(s.prefix, s.list);
    }
    return out;
  }

  private record(name: string, caseInsensitive: boolean, purpose: OccurrencePurpose): void {
    const recorded = caseInsensitive ? `i:${name.toLowerCase()}` : `s:${name}`;
    this.names.add(
      purpose === 'any' ? `a|${recorded}` : purpose === 'scoped' ? `d|${recorded}` : purpose === 'assignments' ? `m|${recorded}` : `u|${purpose.start}|${purpose.end}|${recorded}`,
    );
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

  /**
   * Node types of functions: the units of incremental analysis (see analyzeSites). An adapter without them is
   * analysed whole on every edit.
   */
  protected readonly unitTypes: ReadonlySet<string> = new Set();

  /**
   * Tests on the whole text whose outcome changes the sites found (a file-level retry, the SDK's namespace …).
   * An edit whose function matches one, before or after the edit, is analysed whole. Adapters that test more of
   * the text add theirs.
   */
  protected textDependencies(idioms: LanguageIdioms): RegExp[] {
    return [...(idioms.fileRetry ?? []), ...(idioms.sdkEvidence ? [idioms.sdkEvidence] : [])];
  }

  findSites(input: AnalysisInput): Site[] {
    return this.analyzeSites(input).sites;
  }

  /**
   * Finds the sites group by group: a group is a run of consecutive anchors in the same function (or outside every
   * function), analysed from a clean slate so that its sites depend on the text only. With the previous analysis
   * of the document, a group whose function was not edited, whose sites are outside the edited function, and
   * none of whose looked-up names occurs in that function (before or after the edit) is reused, shifted.
   */
  analyzeSites(input: AnalysisInput, previous?: PreviousAnalysis): SiteAnalysis {
    if (!input.tree) return { sites: [], reused: 0 };
    const tree = input.tree;
    const root = tree.rootNode;
    const w = new Walk(input, tree);
    const budget = input.budget;
    const key = optionsKey(input);
    const runs = this.anchorRuns(input.anchors, tree);
    const plan = previous && previous.cache.key === key ? this.reusePlan(previous, input, tree) : undefined;
    const groups: SiteGroup[] = [];
    const sites: Site[] = [];
    const seen = new Set<string>();
    let reused = 0;
    for (const run of runs) {
      let group = plan?.(run);
      if (group) {
        reused++;
      } else {
        if (budget && performance.now() > budget.deadline) {
          budget.exceeded = true;
          break;
        }
        w.beginGroup();
        let leafEnd = -1;
        for (const offset of run.anchors) {
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
        group = { unit: run.unit, anchors: run.anchors, sites: w.sites, names: w.namesRead() };
      }
      groups.push(group);
      // A site reached from several groups counts once, as the first group found it.
      for (const site of group.sites) {
        const k = siteKey(site);
        if (seen.has(k)) continue;
        seen.add(k);
        sites.push(site);
      }
    }
    return { sites, reused, cache: budget?.exceeded ? undefined : { key, groups } };
  }

  /** The anchors in runs of consecutive anchors that share their unit. */
  private anchorRuns(anchors: readonly number[], tree: Tree): { unit: Span | null; anchors: number[] }[] {
    const runs: { unit: Span | null; anchors: number[] }[] = [];
    let current: { unit: Span | null; anchors: number[] } | undefined;
    for (const a of anchors) {
      const unit = current?.unit && a >= current.unit.start && a < current.unit.end ? current.unit : this.unitAt(tree, a, a, false);
      if (current && sameSpan(current.unit, unit)) current.anchors.push(a);
      else runs.push((current = { unit, anchors: [a] }));
    }
    return runs;
  }

  /**
   * The outermost function holding [start, end] (with `strict`, not touching its first or last character: an
   * edit there may change what the function is), or null. Walks down from the root (a parent lookup costs the
   * depth of the tree).
   */
  private unitAt(tree: Tree, start: number, end: number, strict: boolean): Span | null {
    if (this.unitTypes.size === 0) return null;
    let n: Node | null = tree.rootNode;
    while ((n = n.firstChildForIndex(start))) {
      const s = n.startIndex;
      if (s > start) return null;
      if (this.unitTypes.has(n.type)) {
        const e = n.endIndex;
        return (strict ? s < start && end < e : end <= e) ? { start: s, end: e } : null;
      }
    }
    return null;
  }

  /**
   * Whether a name read by a group (see Walk.occurrences) can read differently after an edit of the function at
   * `old` in the text `before` (now `now` in `after`, its syntax changed within `hull`). The group's reads are
   * outside the function. Away from the changed part, the function's old occurrences are its new ones moved, with
   * the same syntax around them: only the new ones and the old ones in or next to the changed part need a look. An
   * occurrence matters when:
   *  - 'any': it is there;
   *  - a scope: the scope holds the function, and it is there;
   *  - 'assignments': it is given a value there (definitionValue);
   *  - 'scoped': it is given a value whose scope (scopeOf) reaches outside the function (declarations inside a
   *    function are not visible to the others).
   * The old occurrences are judged on the previous tree (edited to the new positions) when there is one; when
   * there is none, or the edit cut into the occurrence, it counts if an assignment follows it.
   */
  private nameTouches(read: string, old: Span, before: string, now: Span, after: string, hull: Span, tree: Tree, previous: PreviousAnalysis): boolean {
    const [purpose, ...rest] = read.split('|');
    if (purpose === 'u' && !overlaps({ start: Number(rest[0]), end: Number(rest[1]) }, old)) return false;
    const recorded = (purpose === 'u' ? rest.slice(2) : rest).join('|');
    const name = recorded.slice(2);
    const re = new RegExp(`(?<![\\w$@])${escapeRegExp(name)}(?![\\w])`, recorded.startsWith('i:') ? 'gi' : 'g');
    const found = (text: string, span: Span, matters: (offset: number) => boolean): boolean => {
      const part = text.slice(span.start, span.end);
      re.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = re.exec(part)) !== null) if (matters(span.start + m.index)) return true;
      return false;
    };
    const tested = purpose === 'd' || purpose === 'm';
    const delta = now.end - old.end;
    // An occurrence next to the change counts as changed too (`rc` became `rcx`).
    const margin = name.length + 1;
    const changedBefore = { start: Math.max(old.start, hull.start - margin), end: Math.min(old.end, hull.end - delta + margin) };
    // Whether the occurrence at `offset` of `t` (positions of the new text) matters: see above.
    const matters = (t: Tree, offset: number): boolean => {
      const n = t.rootNode.descendantForIndex(offset, offset + name.length);
      if (!n) return true;
      if (purpose === 'm') return !!this.definitionValue(n);
      const scope = this.scopeOf(n);
      return !(now.start <= scope.startIndex && scope.endIndex <= now.end);
    };
    const { change, oldTree } = previous;
    const mattered = (offset: number): boolean => {
      if (!tested) return true;
      const cut = offset < change.oldEnd && offset + name.length > change.start;
      if (oldTree && !cut) return matters(oldTree, offset >= change.oldEnd ? offset + delta : offset);
      return this.mayDefine(before, offset + name.length);
    };
    if (found(before, changedBefore, mattered)) return true;
    if (!tested) return found(after, now, () => true);
    return found(after, now, (offset) => matters(tree, offset));
  }

  /** Which groups of the previous analysis the edit cannot have changed: a lookup from a run to its group, shifted. */
  private reusePlan(previous: PreviousAnalysis, input: AnalysisInput, tree: Tree): ((run: { unit: Span | null; anchors: number[] }) => SiteGroup | undefined) | undefined {
    const { change, text: before } = previous;
    let lo = change.start;
    let hi = change.newEnd;
    for (const r of previous.changedRanges) {
      lo = Math.min(lo, r.start);
      hi = Math.max(hi, r.end);
    }
    const unit = this.unitAt(tree, lo, hi, true);
    if (!unit) return undefined;
    // The function must have been the same one before: error recovery can make an edited function swallow its
    // neighbours (a quote typed into a Java annotation took the next interface's annotation with it, and that
    // interface's other methods then belonged to another one), and the changed ranges show where tokens changed,
    // not what changed hands. The previous tree is edited to the new positions, so the extents compare as they are.
    const unitBefore = previous.oldTree && this.unitAt(previous.oldTree, lo, hi, true);
    if (!unitBefore || !sameSpan(unitBefore, unit)) return undefined;
    const delta = change.newEnd - change.oldEnd;
    // Outside the window the text is the same: the function's old extent follows from the new one.
    const old: Span = { start: unit.start, end: unit.end - delta };
    if (old.start > change.start || old.end < change.oldEnd) return undefined;
    const was = before.slice(old.start, old.end);
    const is = input.text.slice(unit.start, unit.end);
    for (const dep of this.textDependencies(input.idioms)) {
      const re = dep.global || dep.sticky ? new RegExp(dep.source, dep.flags.replace(/[gy]/g, '')) : dep;
      if (re.test(was) || re.test(is)) return undefined;
    }
    const touched = new Map<string, boolean>();
    const touches = (read: string): boolean => {
      let t = touched.get(read);
      if (t === undefined) {
        t = this.nameTouches(read, old, before, unit, input.text, { start: lo, end: hi }, tree, previous);
        touched.set(read, t);
      }
      return t;
    };
    const shift = (o: number): number => (o >= change.oldEnd ? o + delta : o);
    const reusable = new Map<string, SiteGroup>();
    for (const g of previous.cache.groups) {
      if (g.unit && overlaps(g.unit, old)) continue;
      if (g.anchors.some((a) => a >= old.start && a < old.end)) continue;
      if (g.sites.some((site) => someSpan(site, (sp) => overlaps(sp, old)))) continue;
      if (g.names.some(touches)) continue;
      const unitNow = g.unit && { start: shift(g.unit.start), end: shift(g.unit.end) };
      reusable.set(runKey(unitNow, g.anchors.map(shift)), g);
    }
    return (run) => {
      const g = reusable.get(runKey(run.unit, run.anchors));
      if (!g) return undefined;
      if (delta === 0) return { ...g, unit: run.unit, anchors: run.anchors };
      return { unit: run.unit, anchors: run.anchors, sites: g.sites.map((site) => shiftSpans(site, change.oldEnd, delta)), names: g.names };
    };
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
    const all = w.occurrences(name, caseInsensitive, 'scoped');
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
    // A memo, so that a group served from it still records the names the adapter's hooks read.
    return w.memo(`definitions:${caseInsensitive ? 'i' : 's'}:${where}:${name}`, () => {
      const defs: Definition[] = [];
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
      return defs;
    });
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
    for (const offset of w.occurrences(name, caseInsensitive, spanOf(scope))) {
      if (offset < scope.startIndex || offset >= scope.endIndex) continue;
      if (w.outOfTime()) return;
      if (offset >= definition.startIndex && offset < definition.endIndex) continue;
      const n = w.tree.rootNode.descendantForIndex(offset, offset + name.length);
      if (n && n.endIndex - n.startIndex >= name.length && !this.definitionValue(n)) yield n;
    }
  }

  protected static readonly maxDepth = MAX_DEPTH;
}

export function siteKey(site: Site): string {
  return `${site.kind}:${site.call.start}:${site.call.end}`;
}

function optionsKey(input: AnalysisInput): string {
  return input.extraRetryNames.join('\u0000');
}

function runKey(unit: Span | null, anchors: readonly number[]): string {
  return `${unit ? `${unit.start}-${unit.end}` : 'file'}:${anchors.join(',')}`;
}

function sameSpan(a: Span | null, b: Span | null): boolean {
  return a === b || (!!a && !!b && a.start === b.start && a.end === b.end);
}

function overlaps(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}

function isSpan(v: unknown): v is Span {
  return typeof v === 'object' && v !== null && typeof (v as Span).start === 'number' && typeof (v as Span).end === 'number';
}

/** Whether any span in a site (its own, its call's, its loop's, its URL's) satisfies `test`. */
function someSpan(value: unknown, test: (s: Span) => boolean): boolean {
  if (Array.isArray(value)) return value.some((v) => someSpan(v, test));
  if (typeof value !== 'object' || value === null) return false;
  if (isSpan(value) && test(value)) return true;
  for (const v of Object.values(value)) if (typeof v === 'object' && v !== null && someSpan(v, test)) return true;
  return false;
}

/** A copy of a site with every span at or after `at` moved by `delta`. */
export function shiftSpans<T>(value: T, at: number, delta: number): T {
  if (Array.isArray(value)) return value.map((v) => shiftSpans(v, at, delta)) as T;
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = shiftSpans(v, at, delta);
  if (isSpan(value) && value.start >= at) {
    out.start = value.start + delta;
    out.end = value.end + delta;
  }
  return out as T;
}
