/**
 * REST Client `.http` / `.rest` files (the VS Code REST Client and JetBrains HTTP Client format). No grammar:
 * requests are separated by `###`, a request line is `[METHOD] URL [HTTP/x]`, then query continuation lines
 * (`?a=b`, `&c=d`), headers, a blank line and a body. `@name = value` defines a file variable, used as
 * `{{name}}`; unresolved variables (`{{$guid}}`, request variables) are unknown parts of the URL.
 */
import { httpIdioms } from '../../catalog/idioms/http';
import { fixTitle } from '../../catalog/text';
import type { Fix, FixContext, FixEdit } from '../fixes';
import { concat, Folded, hole, lit } from '../folded';
import type { AnalysisInput, HttpSite, KeySet, LanguageAdapter, PreviousAnalysis, Site, SiteAnalysis, SiteGroup } from '../types';
import { shiftSpans } from './base';

const MCA = 'MicrosoftCustomerAgreement';

const REQUEST_LINE = /^(?:(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|CONNECT|TRACE)\s+)?(\S+?)(?:\s+HTTP\/[\d.]+)?\s*$/i;
const VARIABLE_LINE = /^@([A-Za-z_][\w.-]*)[ \t]*=(.*)$/;

interface Line {
  text: string;
  start: number;
  end: number;
}

/** The lines of text[from, to) (`from` at the start of a line, `to` at the start of a line or the end). */
function splitLines(text: string, from: number, to: number): Line[] {
  const out: Line[] = [];
  const re = /\r\n|\r|\n/g;
  re.lastIndex = from;
  let start = from;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null && m.index < to) {
    out.push({ text: text.slice(start, m.index), start, end: m.index });
    start = m.index + m[0].length;
  }
  if (start < to || to === text.length) out.push({ text: text.slice(start, to), start, end: to });
  return out;
}

/**
 * The file's variables: `@name = value` lines (a later definition wins). Only lines with an `@` can be one, so
 * only those are looked at.
 */
function fileVariables(text: string): Map<string, string> {
  const vars = new Map<string, string>();
  for (let at = text.indexOf('@'); at >= 0; ) {
    const line = lineStartOf(text, at);
    const end = lineEndOf(text, line);
    const m = VARIABLE_LINE.exec(text.slice(line, end).trim());
    if (m) vars.set(m[1], m[2].trim());
    at = text.indexOf('@', end);
  }
  return vars;
}

/** The key of the analyses whose groups can be reused (the sites do not depend on any option). */
const CACHE_KEY = 'http';

function isLineStart(text: string, i: number): boolean {
  if (i <= 0) return true;
  const c = text.charCodeAt(i - 1);
  return c === 10 || (c === 13 && text.charCodeAt(i) !== 10);
}

/** Start of the line holding offset `i`. */
function lineStartOf(text: string, i: number): number {
  while (i > 0 && !isLineStart(text, i)) i--;
  return i;
}

/** End of the line starting at `start` (before its line break). */
function lineEndOf(text: string, start: number): number {
  let i = start;
  while (i < text.length && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
  return i;
}

/** Start of the line after the one starting at `start`, or the end of the text. */
function nextLineStart(text: string, start: number): number {
  const end = lineEndOf(text, start);
  if (end >= text.length) return text.length;
  return text.charCodeAt(end) === 13 && text.charCodeAt(end + 1) === 10 ? end + 2 : end + 1;
}

const isSeparator = (text: string, start: number): boolean => text.slice(start, lineEndOf(text, start)).trim().startsWith('###');

/** Start of the last separator line before the line holding `offset` (that line may have changed), or 0. */
function separatorBefore(text: string, offset: number): number {
  let line = lineStartOf(text, Math.min(offset, text.length));
  while (line > 0) {
    line = lineStartOf(text, line - 1);
    if (isSeparator(text, line)) return line;
  }
  return 0;
}

/** Start of the first separator line after the line holding `offset`, or the end of the text. */
function separatorAfter(text: string, offset: number): number {
  let line = nextLineStart(text, lineStartOf(text, Math.min(offset, text.length)));
  while (line < text.length) {
    if (isSeparator(text, line)) return line;
    line = nextLineStart(text, line);
  }
  return text.length;
}

/** Whether a line holding part of text[start, end] (or next to it) defines a variable. */
function touchesVariable(text: string, start: number, end: number): boolean {
  for (let line = lineStartOf(text, Math.max(0, start - 1)); line <= Math.min(end + 1, text.length); line = nextLineStart(text, line)) {
    if (VARIABLE_LINE.test(text.slice(line, lineEndOf(text, line)).trim())) return true;
    if (line >= text.length) break;
  }
  return false;
}

function firstAtOrAfter(sorted: readonly number[], offset: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const isComment = (t: string): boolean => /^\s*(#|\/\/)/.test(t);

export class HttpAdapter implements LanguageAdapter {
  readonly language = 'http' as const;
  readonly idioms = httpIdioms;
  readonly comment = { line: '#' };

  grammar(): null {
    return null;
  }

  /** The agreement type, in the query or in the JSON body. Retry and loops have no meaning in a request file. */
  fixes(ctx: FixContext): Fix[] {
    const { finding } = ctx;
    if (finding.rule !== 'pc-missing-agreement-type' || finding.site.kind !== 'http') return [];
    const edit = finding.requirement === 'type' ? this.bodyEdit(ctx, finding.site) : this.queryEdit(ctx, finding.site);
    if (!edit) return [];
    return [{ kind: 'agreement-type', title: fixTitle('agreement-type', ctx.lang), edits: [edit], preferred: true, safe: true }];
  }

  private queryEdit(ctx: FixContext, site: HttpSite): FixEdit | undefined {
    if (!site.urlSpan) return undefined;
    const hasQuery = site.url.some((p) => typeof p === 'string' && p.includes('?'));
    // After the URL, or after its last query continuation line.
    let at = site.urlSpan.end;
    let next = ctx.source.nextLineStart(at);
    while (next < ctx.text.length && /^\s*[?&]/.test(ctx.text.slice(next, ctx.source.lineEnd(next)))) {
      at = ctx.source.lineEnd(next);
      while (at > next && /\s/.test(ctx.text[at - 1])) at--;
      next = ctx.source.nextLineStart(at);
    }
    return { span: { start: at, end: at }, newText: `${hasQuery ? '&' : '?'}agreementType=${MCA}` };
  }

  private bodyEdit(ctx: FixContext, site: HttpSite): FixEdit | undefined {
    const block = ctx.text.slice(site.call.start, site.call.end);
    const close = block.lastIndexOf('}');
    const open = block.indexOf('{');
    if (close < 0 || open < 0 || close < open) return undefined;
    let i = close - 1;
    while (i > open && /\s/.test(block[i])) i--;
    const end = site.call.start + i + 1;
    const prop = `"type": "${MCA}"`;
    if (i === open) return { span: { start: end, end }, newText: ` ${prop} ` };
    const multiline = block.slice(open, close).includes('\n');
    if (!multiline) return { span: { start: end, end }, newText: `, ${prop}` };
    const indent = ctx.source.indentAt(end - 1);
    return { span: { start: end, end }, newText: `,${ctx.source.eol}${indent}${prop}` };
  }

  findSites(input: AnalysisInput): Site[] {
    return this.analyzeSites(input).sites;
  }

  /**
   * The requests of the file, one group per request block. A request reads its own lines and the file's variables
   * only, and blocks end at separator lines (`###`). So after an edit that touches no variable definition, only
   * the lines from the last separator before the edit to the first one after it are read again; the requests
   * before are kept, the ones after moved: a keystroke in a 5,000-line file reads one request, not 750.
   */
  analyzeSites(input: AnalysisInput, previous?: PreviousAnalysis): SiteAnalysis {
    const text = input.text;
    const change = previous?.change;
    const reusable =
      previous && change && previous.cache.key === CACHE_KEY && !touchesVariable(previous.text, change.start, change.oldEnd) && !touchesVariable(text, change.start, change.newEnd);
    if (!reusable) {
      const lines = splitLines(text, 0, text.length);
      const groups = this.requests(lines, fileVariables(text), input.anchors);
      return { sites: groups.flatMap((g) => g.sites), cache: { key: CACHE_KEY, groups }, reused: 0 };
    }
    const delta = change.newEnd - change.oldEnd;
    const from = separatorBefore(text, change.start);
    const to = separatorAfter(text, change.newEnd);
    const kept = previous.cache.groups.filter((g) => g.unit!.end <= from);
    const moved = previous.cache.groups.filter((g) => g.unit!.start >= to - delta).map((g) => shiftSpans(g, 0, delta));
    const fresh = this.requests(splitLines(text, from, to), fileVariables(text), input.anchors);
    const groups = [...kept, ...fresh, ...moved];
    return { sites: groups.flatMap((g) => g.sites), cache: { key: CACHE_KEY, groups }, reused: kept.length + moved.length };
  }

  /** The request blocks of `lines` (whole lines, from a separator or the start of the file), as groups of sites. */
  private requests(lines: Line[], vars: Map<string, string>, anchors: readonly number[]): SiteGroup[] {
    const groups: SiteGroup[] = [];
    let next = firstAtOrAfter(anchors, lines.length ? lines[0].start : 0);
    let i = 0;
    while (i < lines.length) {
      // Skip separators, comments, variables and blank lines up to a request line.
      const t = lines[i].text.trim();
      if (t === '' || t.startsWith('###') || isComment(t) || VARIABLE_LINE.test(t)) {
        i++;
        continue;
      }
      const blockEnd = this.blockEnd(lines, i);
      // Only requests with an anchor (a path word) in them, or a `{{variable}}` in the request line (which may
      // hold the path), can be Partner Center calls.
      while (next < anchors.length && anchors[next] < lines[i].start) next++;
      const hasAnchor = next < anchors.length && anchors[next] < lines[blockEnd - 1].end;
      if (hasAnchor || lines[i].text.includes('{{')) {
        const site = this.request(lines, i, blockEnd, vars);
        groups.push({ unit: { start: lines[i].start, end: lines[blockEnd - 1].end }, anchors: [], sites: site ? [site] : [], names: [] });
      }
      i = blockEnd;
    }
    return groups;
  }

  private blockEnd(lines: Line[], from: number): number {
    let j = from + 1;
    while (j < lines.length && !lines[j].text.trim().startsWith('###')) j++;
    return j;
  }

  private request(lines: Line[], at: number, end: number, vars: Map<string, string>): HttpSite | undefined {
    const line = lines[at];
    const m = REQUEST_LINE.exec(line.text.trim());
    if (!m) return undefined;
    let urlText = m[2];
    let j = at + 1;
    // Query continuation lines.
    while (j < end && /^\s*[?&]/.test(lines[j].text)) urlText += lines[j++].text.trim();
    // Headers up to the first blank line, then the body.
    let contentType = '';
    while (j < end && lines[j].text.trim() !== '') {
      const h = /^content-type[ \t]*:(.*)$/i.exec(lines[j].text.trim());
      if (h) contentType = h[1].trim().toLowerCase();
      j++;
    }
    const bodyLines = lines.slice(j + 1, end).filter((l) => !isComment(l.text));
    const bodyText = bodyLines.map((l) => l.text).join('\n').trim();
    const lead = line.text.length - line.text.trimStart().length;
    const start = line.start + lead;
    const last = lines[Math.max(at, end - 1)];
    return {
      kind: 'http',
      method: (m[1] ?? 'GET').toUpperCase(),
      url: this.expand(urlText, vars, 0),
      span: { start, end: line.start + line.text.trimEnd().length },
      call: { start, end: last.end },
      urlSpan: { start: line.start + line.text.indexOf(m[2]), end: line.start + line.text.indexOf(m[2]) + m[2].length },
      body: bodyText ? bodyKeys(bodyText, contentType) : undefined,
    };
  }

  /** Expands `{{variables}}` defined in the file; others become holes. */
  private expand(text: string, vars: Map<string, string>, depth: number): Folded {
    const parts: Folded[] = [];
    const re = /\{\{([^{}]{1,200})\}\}/g;
    let last = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
      parts.push(lit(text.slice(last, m.index)));
      const v = vars.get(m[1].trim());
      parts.push(v !== undefined && depth < 5 ? this.expand(v, vars, depth + 1) : hole(m[0]));
      last = m.index + m[0].length;
    }
    parts.push(lit(text.slice(last)));
    return concat(...parts);
  }
}

/** Top-level keys of a JSON or form body; variables inside it do not hide the keys. */
export function bodyKeys(body: string, contentType: string): KeySet {
  if (contentType.includes('x-www-form-urlencoded')) {
    return { keys: body.split('&').map((p) => decodeURIComponent(p.split('=')[0].trim())), complete: true };
  }
  const cleaned = body
    .replace(/"\{\{[^{}]*\}\}"/g, '"x"')
    .replace(/\{\{[^{}]*\}\}/g, '0');
  try {
    const v: unknown = JSON.parse(cleaned);
    if (v && typeof v === 'object' && !Array.isArray(v)) return { keys: Object.keys(v), complete: true };
  } catch {
    /* not JSON: unknown keys */
  }
  return { keys: [], complete: false };
}
