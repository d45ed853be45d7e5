/**
 * URL analysis on folded strings: host, path segments, query keys; and matching against the operation
 * catalog (path templates are compared segment by segment, case-insensitively).
 */
import { Folded, isHole } from './folded';
import { HttpMethod, OPERATIONS, Operation, PARTNER_CENTER_HOST } from '../catalog/operations';

const HOLE = '\uE000';

export type HostKind = 'partner-center' | 'other' | 'unknown';

export interface Segment {
  text: string;
  hasHole: boolean;
}

export interface UrlInfo {
  host: HostKind;
  hostName?: string;
  /** Path segments after the host, without a leading `v1`. */
  segments: Segment[];
  /** The written path started with `/v1` (after the host or the base). */
  v1: boolean;
  /** Query keys written literally (lower-cased). */
  queryKeys: Set<string>;
  /** The query has parts that cannot be known (`?${qs}`): any key may be there. */
  queryUnknown: boolean;
}

/** Lower-cased Partner Center hosts: the public one plus the configured extra hosts. */
export function hostSet(extraHosts: readonly string[] = []): Set<string> {
  const s = new Set<string>([PARTNER_CENTER_HOST]);
  for (const h of extraHosts) {
    const t = h.trim().toLowerCase().replace(/^https?:\/\//, '').split(/[/:]/)[0];
    if (t) s.add(t);
  }
  return s;
}

export function parseUrl(f: Folded, pcHosts: ReadonlySet<string>): UrlInfo {
  let s = f.map((p) => (isHole(p) ? HOLE : p)).join('').trim();
  let host: HostKind = 'unknown';
  let hostName: string | undefined;

  const scheme = /^(?:https?:)?\/\//i.exec(s);
  if (scheme) {
    s = s.slice(scheme[0].length);
    const end = s.search(/[/?#]/);
    const authority = end < 0 ? s : s.slice(0, end);
    s = end < 0 ? '' : s.slice(end);
    if (!authority.includes(HOLE)) {
      hostName = authority.replace(/^[^@]*@/, '').replace(/:\d*$/, '').toLowerCase();
      host = pcHosts.has(hostName) ? 'partner-center' : 'other';
    }
  } else if (s.startsWith(HOLE)) {
    // `${base}/customers/...`: the hole is the base URL, host unknown.
    s = s.replace(/^\uE000+/, '');
  }

  const qIndex = s.search(/[?#]/);
  const pathPart = qIndex < 0 ? s : s.slice(0, qIndex);
  const query = qIndex < 0 || s[qIndex] === '#' ? '' : s.slice(qIndex + 1).split('#')[0];

  const segments: Segment[] = [];
  for (const raw of pathPart.split('/')) {
    if (raw === '') continue;
    segments.push({ text: raw, hasHole: raw.includes(HOLE) });
  }
  let v1 = false;
  if (segments.length > 0 && !segments[0].hasHole && segments[0].text.toLowerCase() === 'v1') {
    segments.shift();
    v1 = true;
  }

  const queryKeys = new Set<string>();
  let queryUnknown = false;
  if (query) {
    for (const pair of query.split('&')) {
      if (!pair) continue;
      const eq = pair.indexOf('=');
      const key = eq < 0 ? pair : pair.slice(0, eq);
      if (key.includes(HOLE)) queryUnknown = true;
      else queryKeys.add(decodeKey(key).toLowerCase());
    }
  } else if (qIndex < 0 && pathPart.endsWith(HOLE)) {
    // `${path}${query}`: a trailing hole may carry a query string.
    queryUnknown = true;
  }
  return { host, hostName, segments, v1, queryKeys, queryUnknown };
}

function decodeKey(k: string): string {
  try {
    return decodeURIComponent(k);
  } catch {
    return k;
  }
}

interface CompiledTemplate {
  segments: ({ literal: string } | { param: string })[];
}

function compile(path: string): CompiledTemplate {
  const parts = path.split('/').filter((p) => p !== '');
  if (parts[0]?.toLowerCase() === 'v1') parts.shift();
  return {
    segments: parts.map((p) => (/^\{.*\}$/.test(p) ? { param: p.slice(1, -1) } : { literal: p.toLowerCase() })),
  };
}

const TEMPLATES = new Map<Operation, CompiledTemplate>(OPERATIONS.map((o) => [o, compile(o.path)]));

/**
 * A path parameter accepts a segment that has a hole, or a literal that looks like an identifier value
 * (a GUID, digits, a `{placeholder}`); a plain word (`usagerecords`) is another resource, not an id.
 */
function paramAccepts(seg: Segment): boolean {
  if (seg.hasHole) return true;
  return !/^[A-Za-z]+$/.test(seg.text);
}

function templateMatches(t: CompiledTemplate, segs: readonly Segment[]): boolean {
  if (t.segments.length !== segs.length) return false;
  for (let i = 0; i < segs.length; i++) {
    const ts = t.segments[i];
    const s = segs[i];
    if ('literal' in ts) {
      if (s.hasHole || s.text.toLowerCase() !== ts.literal) return false;
    } else if (!paramAccepts(s)) {
      return false;
    }
  }
  return true;
}

/** Operations whose path template matches the URL's path (any method). */
export function operationsForPath(url: UrlInfo): Operation[] {
  const out: Operation[] = [];
  for (const [op, t] of TEMPLATES) if (templateMatches(t, url.segments)) out.push(op);
  return out;
}

export function normaliseMethod(m: string | undefined): HttpMethod | undefined {
  if (!m) return undefined;
  const u = m.trim().toUpperCase();
  switch (u) {
    case 'GET':
    case 'POST':
    case 'PATCH':
    case 'PUT':
    case 'DELETE':
    case 'HEAD':
    case 'OPTIONS':
      return u;
    default:
      return undefined;
  }
}

/**
 * The HTTP method a call name implies: `get`, `patchAsync`, `PostAsJsonAsync`, `Invoke-RestMethod` does not.
 * Returns undefined when the name says nothing about the method.
 */
export function methodFromName(name: string): HttpMethod | undefined {
  const m = /^(?:http|do|send|make|async|api|_+)?(get|post|patch|put|delete|head|options)(?:[A-Z_]|Async|$)/i.exec(name);
  if (m) return normaliseMethod(m[1]);
  if (/fetch/i.test(name)) return 'GET';
  return undefined;
}
