/**
 * The engine's vocabulary. The engine knows no LSP: spans are UTF-16 offsets into the document text
 * (tree-sitter's indices are UTF-16 code units too, so they line up with LSP positions directly).
 */
import type { Tree } from 'web-tree-sitter';
import type { Fix, FixContext } from './fixes';
import type { Folded } from './folded';
import type { GrammarName } from './parser';
import type { LanguageIdioms } from '../catalog/idioms/types';
import type { OperationSlug } from '../catalog/operations';
import type { RuleId, Severity } from '../catalog/rules';

export interface Span {
  start: number;
  end: number;
}

export interface Position {
  line: number; // 0-based
  character: number; // 0-based, UTF-16 code units
}

export interface Range {
  start: Position;
  end: Position;
}

export type LanguageKey = 'csharp' | 'powershell' | 'python' | 'typescript' | 'javascript' | 'java' | 'go' | 'http';

/** Keys found in an object, dictionary, hashtable or parameter list; `complete` false = more may be there. */
export interface KeySet {
  keys: readonly string[];
  complete: boolean;
}

/** The per-item iteration a call sits in. */
export interface LoopContext {
  span: Span;
  /** The iterated collection as written (`customers`, `$list`), when there is one. */
  label?: string;
}

/** The retry handling that covers a call. */
export interface GuardContext {
  kind: 'wrapper' | 'method' | 'decorator' | 'file' | 'retry-loop' | 'option';
  name: string;
}

interface SiteBase {
  /** What the diagnostic underlines. */
  span: Span;
  /** The whole call or command (the part a retry fix wraps). */
  call: Span;
  loop?: LoopContext;
  guard?: GuardContext;
}

/** A raw HTTP call: a URL, a method, and what is known of its query and body. */
export interface HttpSite extends SiteBase {
  kind: 'http';
  url: Folded;
  /** Upper-case HTTP method, or undefined when it cannot be known. */
  method?: string;
  /** Query parameters given apart from the URL (params dicts, `-Body` on GET, …). */
  query?: KeySet;
  /** The request body's top-level keys; undefined when there is no body. */
  body?: KeySet;
  /** Where the URL expression is written (for fixes that edit the query). */
  urlSpan?: Span;
  /** The base URL of the client the call is made on (`axios.create({ baseURL })`), when known. */
  base?: Folded;
}

/** A call through the .NET or Java SDK, as its normalised chain of member names. */
export interface SdkSite extends SiteBase {
  kind: 'sdk';
  /** Normalised steps from the resolved root to the invoked terminal (see engine/sdk.ts). */
  steps: readonly string[];
}

/** A PowerShell command of the PartnerCenter module. */
export interface CmdletSite extends SiteBase {
  kind: 'cmdlet';
  name: string;
  /** Parameter names given (without the dash, as written: may be abbreviated). */
  params: KeySet;
}

/** Creation of an SDK object that must set a property (`new Agreement { … }`). */
export interface ObjectSite extends SiteBase {
  kind: 'object';
  type: string;
  keys: KeySet;
}

export type Site = HttpSite | SdkSite | CmdletSite | ObjectSite;

/** Everything a language adapter gets to analyse one document. */
export interface AnalysisInput {
  text: string;
  /** The syntax tree, or null for languages analysed without one (`.http`). */
  tree: Tree | null;
  /** Offsets where the prefilter found a catalog word; adapters start from these, not from a full walk. */
  anchors: readonly number[];
  idioms: LanguageIdioms;
  /** Retry helper names from the settings, recognised like the idioms' wrappers. */
  extraRetryNames: readonly string[];
  /** Time budget (performance.now() deadline); adapters stop and set `exceeded` when it runs out. */
  budget?: Budget;
}

/**
 * The sites found from a run of consecutive anchors in one function (or outside every function), and what
 * finding them read: the next version reuses them when an edit elsewhere touched none of it.
 */
export interface SiteGroup {
  /** The outermost function holding the anchors, or null for anchors outside every function. */
  readonly unit: Span | null;
  readonly anchors: readonly number[];
  readonly sites: readonly Site[];
  /** The names whose occurrences were looked up (`s:Name`, or `i:name` for a case-insensitive lookup). */
  readonly names: readonly string[];
}

export interface SiteCache {
  /** The options the sites depend on (retry helper names from the settings). */
  readonly key: string;
  readonly groups: readonly SiteGroup[];
}

/** The previous analysis of a document, and how the text changed since. */
export interface PreviousAnalysis {
  readonly text: string;
  readonly cache: SiteCache;
  /** [start, oldEnd) of the previous text became [start, newEnd): every edit since, as one window. */
  readonly change: { readonly start: number; readonly oldEnd: number; readonly newEnd: number };
  /** Where the syntax tree changed (tree-sitter's changed ranges), in the new text. */
  readonly changedRanges: readonly Span[];
  /** The previous text's tree, edited to the new positions (not re-parsed), when the engine still has it. */
  readonly oldTree?: Tree;
  /** The previous text's anchors (see prefilter.ts), when known. */
  readonly anchors?: readonly number[];
}

export interface SiteAnalysis {
  sites: Site[];
  /** Absent when the analysis is partial (out of time): nothing may be reused from it. */
  cache?: SiteCache;
  /** How many groups were reused from the previous analysis. */
  reused: number;
}

export interface Budget {
  deadline: number;
  exceeded: boolean;
}

export interface LanguageAdapter {
  readonly language: LanguageKey;
  readonly idioms: LanguageIdioms;
  /** Line comment and block comment delimiters, for suppression comments and annotations. */
  readonly comment: { line?: string; block?: readonly [string, string] };
  /** The grammar for a file (TSX files use the tsx grammar), or null when no tree is needed. */
  grammar(fileName: string, languageId?: string): GrammarName | null;
  /** Finds the Partner Center call sites of a document (matching them to operations is the engine's job). */
  findSites(input: AnalysisInput): Site[];
  /**
   * The same for a document being edited: reuses what the previous analysis found where the edit cannot have
   * changed it, and returns what the next version may reuse. Adapters without it are analysed whole.
   */
  analyzeSites?(input: AnalysisInput, previous?: PreviousAnalysis): SiteAnalysis;
  /** Language-specific quick fixes for a finding (retry, library retry, Activity Log, agreement type). */
  fixes?(ctx: FixContext): Fix[];
}

/** A call site matched to a catalog operation. Kept even when no rule fires, for hovers. */
export interface Recognition {
  site: Site;
  operation: OperationSlug;
}

export interface Finding {
  rule: RuleId;
  operation: OperationSlug;
  severity: Severity;
  span: Span;
  range: Range;
  /** Localised message. */
  message: string;
  /** Link to the operation's page (or the rule's). */
  docUrl: string;
  site: Site;
  /** For pc-missing-agreement-type: what is missing, as the user writes it (`agreementType`, `Type`, …). */
  requirement?: string;
}

export type RuleSetting = Severity | 'off';

export interface EngineOptions {
  /** Extra Partner Center hosts (a proxy, a mock). */
  extraHosts: readonly string[];
  /** Extra names of retry helpers that cover a call. */
  retryHelpers: readonly string[];
  /** Per-rule severity or 'off'. */
  rules: Partial<Record<RuleId, RuleSetting>>;
  /** 'en' or 'fr' (any `fr-*` locale); others fall back to English. */
  locale: string;
  /** Files larger than this many bytes are skipped with one information message. */
  maxFileSize: number;
}

export const DEFAULT_OPTIONS: EngineOptions = {
  extraHosts: [],
  retryHelpers: [],
  rules: {},
  locale: 'en',
  maxFileSize: 4 * 1024 * 1024,
};

export interface AnalysisResult {
  findings: Finding[];
  recognitions: Recognition[];
  /** Set when the document was not analysed (too large, binary…): why, localised. */
  skipped?: string;
  /**
   * Set when the parse or the analysis ran out of time (`skipped` says so): the result depends on the machine's
   * speed and load, not on the text alone, so a scan cache does not keep it.
   */
  outOfTime?: true;
}
