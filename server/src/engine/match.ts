/**
 * From call sites to recognised operations and rule findings: URL, method and host for raw HTTP calls,
 * chains for the SDKs, parameters for cmdlets, required properties for SDK objects.
 */
import { OBJECT_REQUIREMENTS, OPERATIONS, Operation, operation } from '../catalog/operations';
import type { RuleId } from '../catalog/rules';
import { concat, Folded, isHole } from './folded';
import { matchChain } from './sdk';
import type { HttpSite, KeySet, Site } from './types';
import { normaliseMethod, operationsForPath, parseUrl } from './url';

export interface FileEvidence {
  /** The file names a Partner Center host, the word `partnercenter`, or the SDK's namespace. */
  partnerCenter: boolean;
  /** The file shows it uses the .NET/Java SDK or the PowerShell module. */
  sdk: boolean;
}

export interface Match {
  site: Site;
  op: Operation;
  /** The rule that fires, if any. */
  rule?: RuleId;
  /** For the agreement rule: the missing parameter or property as written in this language. */
  requirement?: string;
}

function hasKey(keys: KeySet | undefined, key: string): boolean {
  return !!keys && keys.keys.some((k) => k.toLowerCase() === key.toLowerCase());
}

/** PowerShell accepts any unambiguous prefix of a parameter name (`-Subscr` for `-SubscriptionId`). */
function hasParam(params: KeySet, name: string): boolean {
  const n = name.toLowerCase();
  return params.keys.some((k) => {
    const p = k.toLowerCase();
    return p.length >= 3 && n.startsWith(p);
  });
}

function throttleRule(site: Site): RuleId | undefined {
  if (site.loop) return 'pc-throttled-in-loop';
  if (site.guard) return undefined;
  return 'pc-throttled-endpoint';
}

/** The URL as the server sees it: a relative path is resolved against the receiver's base URL when known. */
function effectiveUrl(site: HttpSite, base: Folded | undefined): Folded {
  if (!base || base.length === 0) return site.url;
  const first = site.url[0];
  if (typeof first === 'string' && /^[a-z][a-z0-9+.-]*:\/\//i.test(first)) return site.url;
  if (first !== undefined && isHole(first)) return site.url;
  const b = base.slice();
  const last = b[b.length - 1];
  const startsWithSlash = typeof first === 'string' && first.startsWith('/');
  if (typeof last === 'string' && last.endsWith('/') && startsWithSlash) b[b.length - 1] = last.slice(0, -1);
  else if (!(typeof last === 'string' && last.endsWith('/')) && !startsWithSlash) return concat(b, ['/'], site.url);
  return concat(b, site.url);
}

function matchHttp(site: HttpSite, pcHosts: ReadonlySet<string>, ev: FileEvidence): Match[] {
  const url = parseUrl(effectiveUrl(site, site.base), pcHosts);
  if (url.host === 'other') return [];
  if (url.host === 'unknown' && !url.v1 && !ev.partnerCenter) return [];
  const method = normaliseMethod(site.method);
  if (!method) return [];
  const out: Match[] = [];
  for (const op of operationsForPath(url)) {
    if (op.method !== method) continue;
    const m: Match = { site, op };
    if (op.throttled) {
      m.rule = throttleRule(site);
    } else if (op.agreement?.query) {
      const q = op.agreement.query;
      const given = url.queryKeys.has(q.toLowerCase()) || hasKey(site.query, q);
      const unknown = url.queryUnknown || (site.query !== undefined && !site.query.complete);
      if (!given && !unknown) {
        m.rule = 'pc-missing-agreement-type';
        m.requirement = q;
      }
    } else if (op.agreement?.bodyKey) {
      const k = op.agreement.bodyKey;
      if (site.body && site.body.complete && !hasKey(site.body, k)) {
        m.rule = 'pc-missing-agreement-type';
        m.requirement = k;
      }
    }
    out.push(m);
  }
  return out;
}

export function matchSite(site: Site, pcHosts: ReadonlySet<string>, ev: FileEvidence): Match[] {
  switch (site.kind) {
    case 'http':
      return matchHttp(site, pcHosts, ev);
    case 'sdk':
      return matchChain(site.steps, ev.sdk).map((op) => {
        if (op.throttled) return { site, op, rule: throttleRule(site) };
        // Agreement chains in the catalog are the ones without ByAgreementType.
        return { site, op, rule: 'pc-missing-agreement-type', requirement: 'ByAgreementType' } as Match;
      });
    case 'cmdlet': {
      const out: Match[] = [];
      for (const op of candidatesForCmdlet(site.name)) {
        const idiom = op.cmdlets!.find((c) => c.name.toLowerCase() === site.name.toLowerCase())!;
        const withOk = (idiom.with ?? []).every((p) => hasParam(site.params, p));
        const withoutHit = (idiom.without ?? []).some((p) => hasParam(site.params, p));
        // With an unknown splat only the operation without the decisive parameter is assumed.
        if (!withOk || withoutHit) continue;
        const m: Match = { site, op };
        if (op.throttled) m.rule = throttleRule(site);
        else if (op.agreement && site.params.complete) {
          m.rule = 'pc-missing-agreement-type';
          m.requirement = '-AgreementType';
        }
        out.push(m);
      }
      return out;
    }
    case 'object': {
      const req = OBJECT_REQUIREMENTS.find((o) => o.type === site.type);
      const op = req && operation(req.operation);
      if (!req || !op) return [];
      const missing = site.keys.complete && !hasKey(site.keys, req.key);
      return [{ site, op, rule: missing ? 'pc-missing-agreement-type' : undefined, requirement: req.key }];
    }
  }
}

const CMDLET_INDEX = new Map<string, Operation[]>();
for (const op of OPERATIONS) {
  for (const c of op.cmdlets ?? []) {
    const k = c.name.toLowerCase();
    CMDLET_INDEX.set(k, [...(CMDLET_INDEX.get(k) ?? []), op]);
  }
}

function candidatesForCmdlet(name: string): Operation[] {
  return CMDLET_INDEX.get(name.toLowerCase()) ?? [];
}
