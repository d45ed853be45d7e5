/**
 * Quick fixes. A fix is a list of text edits in document offsets (no LSP types): the language server turns
 * them into WorkspaceEdits, the tests apply them to fixture files.
 *
 * Adapters produce the language-specific fixes (retry, library retry, Activity Log, agreement type);
 * suppression comments and documentation are generic and produced here.
 */
import type { Tree } from 'web-tree-sitter';
import { operation } from '../catalog/operations';
import type { RuleId } from '../catalog/rules';
import { fixTitle, Lang } from '../catalog/text';
import { isHole } from './folded';
import type { Finding, HttpSite, LanguageAdapter, Span } from './types';

export type FixKind =
  | 'retry'
  | 'retry-library'
  | 'activity-log'
  | 'agreement-type'
  | 'suppress-line'
  | 'suppress-file'
  | 'docs';

export interface FixEdit {
  span: Span;
  newText: string;
}

export interface Fix {
  kind: FixKind;
  title: string;
  edits: FixEdit[];
  /** The preferred fix of its diagnostic (VS Code applies it with "Auto Fix"). */
  preferred?: boolean;
  /** Safe to apply without review: fix-all and `editor.codeActionsOnSave` apply only these. */
  safe?: boolean;
  /** For 'docs': the page to open. */
  url?: string;
}

/** What an adapter gets to build fixes for one finding. */
export interface FixContext {
  text: string;
  tree: Tree | null;
  finding: Finding;
  source: SourceText;
  lang: Lang;
  /** The language id the document was opened with (e.g. typescript vs javascript). */
  fileName: string;
}

/** Helpers on the document text: line ends, indentation, line boundaries. */
export class SourceText {
  readonly eol: string;
  readonly indentUnit: string;

  constructor(readonly text: string) {
    const crlf = (text.match(/\r\n/g) ?? []).length;
    const lf = (text.match(/(?<!\r)\n/g) ?? []).length;
    this.eol = crlf > lf ? '\r\n' : '\n';
    this.indentUnit = detectIndentUnit(text);
  }

  lineStart(offset: number): number {
    let i = offset;
    while (i > 0 && this.text[i - 1] !== '\n' && this.text[i - 1] !== '\r') i--;
    return i;
  }

  lineEnd(offset: number): number {
    let i = offset;
    while (i < this.text.length && this.text[i] !== '\n' && this.text[i] !== '\r') i++;
    return i;
  }

  /** The whitespace at the start of the line holding `offset`. */
  indentAt(offset: number): string {
    const start = this.lineStart(offset);
    return /^[ \t]*/.exec(this.text.slice(start, start + 200))![0];
  }

  /** Offset just after the line break that ends the line holding `offset` (or the end of the text). */
  nextLineStart(offset: number): number {
    const end = this.lineEnd(offset);
    if (this.text.startsWith('\r\n', end)) return end + 2;
    return end < this.text.length ? end + 1 : end;
  }

  /**
   * Indents a multi-line template written with two-space indentation and `\n`: every line gets `base`, each
   * level of two spaces becomes one indent unit of the file, and line ends follow the file.
   */
  block(template: string, base: string): string {
    return template
      .split('\n')
      .map((line) => {
        if (line.trim() === '') return '';
        const lead = /^ */.exec(line)![0].length;
        return base + this.indentUnit.repeat(Math.floor(lead / 2)) + ' '.repeat(lead % 2) + line.slice(lead);
      })
      .join(this.eol);
  }
}

function detectIndentUnit(text: string): string {
  let tabs = 0;
  const widths = new Map<number, number>();
  let prev = 0;
  for (const line of text.split(/\r?\n/).slice(0, 2000)) {
    if (line.trim() === '') continue;
    const m = /^[ \t]*/.exec(line)![0];
    if (m.startsWith('\t')) {
      tabs++;
      continue;
    }
    const d = m.length - prev;
    if (d > 0 && d <= 8) widths.set(d, (widths.get(d) ?? 0) + 1);
    prev = m.length;
  }
  const spaces = [...widths.values()].reduce((a, b) => a + b, 0);
  if (tabs > spaces) return '\t';
  let best = 4;
  let count = 0;
  for (const [w, c] of widths) if (c > count || (c === count && w < best)) [best, count] = [w, c];
  return ' '.repeat(spaces ? best : 4);
}

/** Applies non-overlapping edits (any order) to a text. */
export function applyEdits(text: string, edits: readonly FixEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.span.start - a.span.start || b.span.end - a.span.end);
  let out = text;
  let limit = Infinity;
  for (const e of sorted) {
    if (e.span.end > limit) throw new Error('overlapping edits');
    out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
    limit = e.span.start;
  }
  return out;
}

const SUPPRESS_REASON = 'TODO: give the reason';

/** Comment syntax of a language: a whole-line comment around `body`. */
function commentLine(adapter: LanguageAdapter, body: string): string {
  if (adapter.comment.line) return `${adapter.comment.line} ${body}`;
  const [open, close] = adapter.comment.block ?? ['/*', '*/'];
  return `${open} ${body} ${close}`;
}

function suppressLine(adapter: LanguageAdapter, ctx: FixContext, rule: RuleId): Fix {
  const { source, finding } = ctx;
  const at = source.lineStart(finding.span.start);
  const indent = source.indentAt(finding.span.start);
  return {
    kind: 'suppress-line',
    title: fixTitle('suppress-line', ctx.lang, { rule }),
    edits: [
      {
        span: { start: at, end: at },
        newText: `${indent}${commentLine(adapter, `pc-advisor-disable-next-line ${rule} -- ${SUPPRESS_REASON}`)}${source.eol}`,
      },
    ],
  };
}

/** Where a file-level comment goes: after a shebang, an encoding line or a leading `<?…?>`/BOM. */
function fileHeaderEnd(text: string): number {
  let at = text.startsWith('\uFEFF') ? 1 : 0;
  const src = new SourceText(text);
  for (let i = 0; i < 2; i++) {
    const line = text.slice(at, src.lineEnd(at));
    if (/^#!|^#.*coding[:=]|^#requires\b/i.test(line)) at = src.nextLineStart(at);
    else break;
  }
  return at;
}

function suppressFile(adapter: LanguageAdapter, ctx: FixContext, rule: RuleId): Fix {
  const at = fileHeaderEnd(ctx.text);
  const eol = ctx.source.eol;
  // A blank line after it keeps it from becoming a doc comment of what follows (Go's package clause).
  return {
    kind: 'suppress-file',
    title: fixTitle('suppress-file', ctx.lang, { rule }),
    edits: [{ span: { start: at, end: at }, newText: `${commentLine(adapter, `pc-advisor-disable-file ${rule}`)}${eol}${eol}` }],
  };
}

/** Every fix for one finding: the adapter's, then suppressions and documentation. */
export function fixesFor(adapter: LanguageAdapter, ctx: FixContext): Fix[] {
  const out: Fix[] = [];
  try {
    for (const fix of adapter.fixes?.(ctx) ?? []) {
      const edits = fix.edits.map((e) => keepLineBreaks(ctx.text, e));
      // A fix whose edits overlap or leave the document (a broken file confusing an adapter) is not offered.
      if (editsApplyCleanly(ctx.text, edits)) out.push({ ...fix, edits });
    }
  } catch {
    // A fix that cannot be built is not offered; the other actions still are.
  }
  out.push(suppressLine(adapter, ctx, ctx.finding.rule), suppressFile(adapter, ctx, ctx.finding.rule));
  const op = operation(ctx.finding.operation);
  if (op) out.push({ kind: 'docs', title: fixTitle('docs', ctx.lang, { operation: op }), edits: [], url: ctx.finding.docUrl });
  return out;
}

/** Every edit inside the text, and no two overlapping (insertions at one offset are fine). */
function editsApplyCleanly(text: string, edits: readonly FixEdit[]): boolean {
  const sorted = [...edits].sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  for (let i = 0; i < sorted.length; i++) {
    const { start, end } = sorted[i].span;
    if (start < 0 || end < start || end > text.length) return false;
    if (i > 0 && start < sorted[i - 1].span.end) return false;
  }
  return true;
}

/**
 * An edit boundary never falls inside a \r\n pair. Some grammars end a token after the \r (a comment matching
 * `#.*` takes it), and text inserted there would leave a bare \n behind it.
 */
function keepLineBreaks(text: string, edit: FixEdit): FixEdit {
  const inPair = (o: number) => o > 0 && text.charCodeAt(o - 1) === 13 && text.charCodeAt(o) === 10;
  if (!inPair(edit.span.start) && !inPair(edit.span.end)) return edit;
  const { start, end } = edit.span;
  // An insertion goes before the pair; a replacement leaves both halves of it alone.
  if (start === end) return { ...edit, span: { start: start - 1, end: start - 1 } };
  const from = inPair(start) ? start + 1 : start;
  const to = inPair(end) ? end - 1 : end;
  return { ...edit, span: { start: Math.min(from, to), end: to } };
}

/** The node whose span is exactly `span` (the outermost such), else the smallest node containing it. */
export function nodeAt(tree: Tree, span: Span): import('web-tree-sitter').Node | null {
  let n = tree.rootNode.descendantForIndex(span.start, Math.max(span.start, span.end - 1));
  while (n && !(n.startIndex <= span.start && n.endIndex >= span.end)) n = n.parent;
  while (n?.parent && n.parent.startIndex === span.start && n.parent.endIndex === span.end) n = n.parent;
  return n;
}

/** The named descendants of `n` (itself first), depth-first in source order; at most `limit` of them. */
export function* descendants(n: import('web-tree-sitter').Node, limit = 50000): Generator<import('web-tree-sitter').Node> {
  const stack = [n];
  let seen = 0;
  while (stack.length && seen++ < limit) {
    const c = stack.pop()!;
    yield c;
    for (let i = c.namedChildCount - 1; i >= 0; i--) {
      const k = c.namedChild(i);
      if (k) stack.push(k);
    }
  }
}

/** The source text of the customer id in a REST URL: the hole right after `customers/` (`c.id` in `/customers/${c.id}/orders`). */
export function customerIdInUrl(site: HttpSite): string | undefined {
  for (let i = 0; i + 1 < site.url.length; i++) {
    const p = site.url[i];
    const next = site.url[i + 1];
    if (typeof p === 'string' && /customers\/$/i.test(p) && isHole(next)) return next.hole;
  }
  return undefined;
}

/** A name not yet used in the text: `base`, else `base2`, `base3`… */
export function freshName(text: string, base: string): string {
  let name = base;
  for (let i = 2; new RegExp(`(?<![\\w$])${name.replace(/\$/g, '\\$')}(?![\\w$])`).test(text); i++) name = `${base}${i}`;
  return name;
}
