/**
 * Python code inserted by the quick fixes and offered as snippets (requests / httpx / aiohttp; there is no
 * official Partner Center SDK for Python).
 *
 * The helpers are top-level definitions (`PyDef`) that name what they use: a fix inserts, once per file, the
 * definitions its call needs that the file does not have yet, in this file's order (a module-level value
 * comes after the functions it refers to), with the imports they need.
 */
import type { SnippetSpec } from './types';

export const PY_RETRY_HELPER = 'with_partner_center_retry';
export const PY_RETRY_HELPER_ASYNC = 'with_partner_center_retry_async';
export const PY_TENACITY_HELPER = 'partner_center_retrying';
export const PY_TENACITY_HELPER_ASYNC = 'partner_center_retrying_async';
export const PY_AUDIT_HELPER = 'partner_center_changed_customer_ids';
export const PY_AUDIT_HELPER_ASYNC = 'partner_center_changed_customer_ids_async';
export const MCA = 'MicrosoftCustomerAgreement';

/** A top-level definition a fix may insert: a function (or a module-level value), written in four spaces. */
export interface PyDef {
  name: string;
  code: string;
  /** Modules it imports (`import x`). */
  imports: readonly string[];
  /** Other definitions it uses. */
  needs: readonly string[];
}

const def = (name: string, imports: readonly string[], needs: readonly string[], code: string): PyDef => ({ name, imports, needs, code });

// ---- retry (own loop) and the pieces the tenacity retry shares -----------------------------------------

const RETRY_SYNC = def(
  PY_RETRY_HELPER,
  ['time'],
  ['_partner_center_throttled', '_partner_center_retry_delay'],
  `def ${PY_RETRY_HELPER}(call, max_attempts=5):
    """Partner Center Advisor: retries a throttled Partner Center call (HTTP 429/503/504), waiting Retry-After."""
    for attempt in range(1, max_attempts + 1):
        try:
            result = call()
        except Exception as error:  # an HTTP error raised by the client, e.g. raise_for_status()
            status, retry_after = _partner_center_throttled(error)
            if status not in (429, 503, 504) or attempt == max_attempts:
                raise
        else:
            status, retry_after = _partner_center_throttled(result)
            if status not in (429, 503, 504) or attempt == max_attempts:
                return result
        time.sleep(_partner_center_retry_delay(attempt, retry_after))`,
);

const RETRY_ASYNC = def(
  PY_RETRY_HELPER_ASYNC,
  ['asyncio'],
  ['_partner_center_throttled', '_partner_center_retry_delay'],
  `async def ${PY_RETRY_HELPER_ASYNC}(call, max_attempts=5):
    """Partner Center Advisor: the same for coroutines (httpx.AsyncClient)."""
    for attempt in range(1, max_attempts + 1):
        try:
            result = await call()
        except Exception as error:
            status, retry_after = _partner_center_throttled(error)
            if status not in (429, 503, 504) or attempt == max_attempts:
                raise
        else:
            status, retry_after = _partner_center_throttled(result)
            if status not in (429, 503, 504) or attempt == max_attempts:
                return result
        await asyncio.sleep(_partner_center_retry_delay(attempt, retry_after))`,
);

const RETRY_DELAY = def(
  '_partner_center_retry_delay',
  ['random'],
  ['_partner_center_retry_after_seconds'],
  `def _partner_center_retry_delay(attempt, retry_after):
    """Seconds to wait: Retry-After when given, else exponential backoff with jitter."""
    seconds = _partner_center_retry_after_seconds(retry_after)
    if seconds is not None:
        return seconds
    return min(30.0, 2.0 ** (attempt - 1)) * (0.5 + random.random() / 2)`,
);

const RETRY_AFTER = def(
  '_partner_center_retry_after_seconds',
  ['datetime', 'email.utils'],
  [],
  `def _partner_center_retry_after_seconds(retry_after):
    """Retry-After (seconds or an HTTP date) as seconds to wait; None when absent or unreadable."""
    if retry_after:
        try:
            return max(0.0, float(retry_after))
        except ValueError:
            try:
                when = email.utils.parsedate_to_datetime(retry_after)
                return max(0.0, (when - datetime.datetime.now(datetime.timezone.utc)).total_seconds())
            except (TypeError, ValueError):
                pass
    return None`,
);

const THROTTLED = def(
  '_partner_center_throttled',
  [],
  [],
  `def _partner_center_throttled(result_or_error):
    """(status, Retry-After) of a response, or of the response an HTTP error carries."""
    response = getattr(result_or_error, "response", result_or_error)
    status = getattr(response, "status_code", None) or getattr(response, "status", None)
    headers = getattr(response, "headers", None) or {}
    return status, headers.get("Retry-After")`,
);

// ---- retry with tenacity ------------------------------------------------------------------------------

const TENACITY_IS_THROTTLED = def(
  '_partner_center_is_throttled',
  [],
  ['_partner_center_throttled'],
  `def _partner_center_is_throttled(result_or_error):
    """tenacity retry test: HTTP 429/503/504, as a response or as an HTTP error that carries one."""
    status, _ = _partner_center_throttled(result_or_error)
    return status in (429, 503, 504)`,
);

const TENACITY_WAIT = def(
  '_partner_center_wait',
  ['tenacity'],
  ['_partner_center_throttled', '_partner_center_retry_after_seconds'],
  `def _partner_center_wait(retry_state):
    """tenacity wait: the Retry-After the service sent, else exponential backoff with jitter."""
    outcome = retry_state.outcome
    _, retry_after = _partner_center_throttled(outcome.exception() if outcome.failed else outcome.result())
    seconds = _partner_center_retry_after_seconds(retry_after)
    if seconds is None:
        return tenacity.wait_exponential_jitter(initial=1, max=30)(retry_state)
    return seconds`,
);

const TENACITY_POLICY = def(
  'PARTNER_CENTER_RETRY',
  ['tenacity'],
  ['_partner_center_is_throttled', '_partner_center_wait'],
  `# Partner Center Advisor: tenacity settings for throttled Partner Center calls (HTTP 429/503/504): wait
# Retry-After, else exponential backoff with jitter; 5 attempts, then the last response or error as it is.
PARTNER_CENTER_RETRY = dict(
    retry=(
        tenacity.retry_if_result(_partner_center_is_throttled)
        | tenacity.retry_if_exception(_partner_center_is_throttled)
    ),
    wait=_partner_center_wait,
    stop=tenacity.stop_after_attempt(5),
    retry_error_callback=lambda retry_state: retry_state.outcome.result(),
)`,
);

const TENACITY_SYNC = def(
  PY_TENACITY_HELPER,
  ['tenacity'],
  ['PARTNER_CENTER_RETRY'],
  `def ${PY_TENACITY_HELPER}(call):
    """Partner Center Advisor: runs \`call\` under tenacity with PARTNER_CENTER_RETRY."""
    return tenacity.Retrying(**PARTNER_CENTER_RETRY)(call)`,
);

const TENACITY_ASYNC = def(
  PY_TENACITY_HELPER_ASYNC,
  ['tenacity'],
  ['PARTNER_CENTER_RETRY'],
  `async def ${PY_TENACITY_HELPER_ASYNC}(call):
    """Partner Center Advisor: the same for coroutines (httpx.AsyncClient, aiohttp)."""

    async def attempt():  # tenacity awaits only coroutine functions, not a lambda returning a coroutine
        return await call()

    return await tenacity.AsyncRetrying(**PARTNER_CENTER_RETRY)(attempt)`,
);

// ---- Activity Log -------------------------------------------------------------------------------------

const AUDIT_SYNC = def(
  PY_AUDIT_HELPER,
  [],
  ['_partner_center_audit_params', '_partner_center_audit_customer_ids'],
  `def ${PY_AUDIT_HELPER}(get_audit_records, resource_type, days=1):
    """Partner Center Advisor: ids of the customers with changes of \`resource_type\` in the last \`days\` days,
    from the Activity Log (GET /v1/auditrecords, sent by \`get_audit_records(params)\`). None when the query
    fails or has more than one page: the caller then refetches every customer."""
    try:
        response = get_audit_records(_partner_center_audit_params(resource_type, days))
        return _partner_center_audit_customer_ids(response, response.json())
    except Exception:  # network, HTTP or JSON error
        return None`,
);

const AUDIT_ASYNC = def(
  PY_AUDIT_HELPER_ASYNC,
  ['inspect'],
  ['_partner_center_audit_params', '_partner_center_audit_customer_ids'],
  `async def ${PY_AUDIT_HELPER_ASYNC}(get_audit_records, resource_type, days=1):
    """Partner Center Advisor: the same for async clients (httpx.AsyncClient, aiohttp.ClientSession)."""
    try:
        response = await get_audit_records(_partner_center_audit_params(resource_type, days))
        page = response.json()
        if inspect.isawaitable(page):  # aiohttp reads the body asynchronously
            page = await page
        return _partner_center_audit_customer_ids(response, page)
    except Exception:  # network, HTTP or JSON error
        return None`,
);

const AUDIT_PARAMS = def(
  '_partner_center_audit_params',
  ['datetime', 'json'],
  [],
  `def _partner_center_audit_params(resource_type, days):
    """Query of GET /v1/auditrecords: the records of one resource type since \`days\` days ago (UTC)."""
    start = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=days)
    return {
        "startDate": start.strftime("%Y-%m-%d"),
        "size": "500",
        "filter": json.dumps({"Field": "ResourceType", "Value": resource_type, "Operator": "equals"}),
    }`,
);

const AUDIT_IDS = def(
  '_partner_center_audit_customer_ids',
  [],
  [],
  `def _partner_center_audit_customer_ids(response, page):
    """The customer ids of a successful, complete (single-page) audit records answer, else None."""
    status = getattr(response, "status_code", None) or getattr(response, "status", None)
    if status != 200 or not isinstance(page, dict) or page.get("continuationToken"):
        return None
    return {record["customerId"] for record in page.get("items", []) if record.get("customerId")}`,
);

/** Every definition, in the order they are inserted. */
export const PY_DEFS: readonly PyDef[] = [
  RETRY_SYNC,
  RETRY_ASYNC,
  RETRY_DELAY,
  TENACITY_IS_THROTTLED,
  TENACITY_WAIT,
  TENACITY_POLICY,
  TENACITY_SYNC,
  TENACITY_ASYNC,
  AUDIT_SYNC,
  AUDIT_ASYNC,
  AUDIT_PARAMS,
  AUDIT_IDS,
  RETRY_AFTER,
  THROTTLED,
];

/**
 * The definitions `roots` need (with what those use), less those `has` says the file defines, in PY_DEFS
 * order; and the modules they import.
 */
export function pyDefsFor(roots: readonly string[], has: (name: string) => boolean = () => false): { defs: PyDef[]; imports: string[] } {
  const wanted = new Set<string>();
  const visit = (name: string): void => {
    if (wanted.has(name)) return;
    wanted.add(name);
    for (const n of PY_DEFS.find((d) => d.name === name)?.needs ?? []) visit(n);
  };
  roots.forEach(visit);
  const defs = PY_DEFS.filter((d) => wanted.has(d.name) && !has(d.name));
  const imports = [...new Set(defs.flatMap((d) => d.imports))].sort();
  return { defs, imports };
}

/** The code of definitions, separated by two blank lines (PEP 8). */
export function pyDefsCode(defs: readonly PyDef[]): string {
  return defs.map((d) => d.code).join('\n\n\n');
}

/** The whole helper set of the retry fix (the snippet shows the same code). */
export function pyRetryHelper(asyncToo: boolean): string {
  return pyDefsCode(pyDefsFor(asyncToo ? [PY_RETRY_HELPER, PY_RETRY_HELPER_ASYNC] : [PY_RETRY_HELPER]).defs);
}

export function pyRetryCall(expression: string, isAsync: boolean): string {
  return isAsync ? `${PY_RETRY_HELPER_ASYNC}(lambda: ${expression})` : `${PY_RETRY_HELPER}(lambda: ${expression})`;
}

export function pyTenacityCall(expression: string, isAsync: boolean): string {
  return isAsync ? `${PY_TENACITY_HELPER_ASYNC}(lambda: ${expression})` : `${PY_TENACITY_HELPER}(lambda: ${expression})`;
}

/** `lambda params: <request>`: the audit records request, sent with the caller's client. */
export function pyAuditGetter(request: string): string {
  return `lambda params: ${request}`;
}

/**
 * What the Activity Log fix puts before the per-item loop (four-space indentation, `\n`): the query, then the
 * items that changed (all of them when the query failed). The loop then iterates `changed`.
 * `width`: the columns left after the statement's indentation (lines longer than that are wrapped).
 */
export function pyAuditQuery(o: {
  ids: string;
  changed: string;
  getter: string;
  resourceType: string;
  isAsync: boolean;
  /** The loop's target as written (`customer`, `i, customer`) and as an expression (`(i, customer)`). */
  target: string;
  element: string;
  iterable: string;
  itemId: string;
  width: number;
}): string {
  const call = `${o.isAsync ? 'await ' : ''}${o.isAsync ? PY_AUDIT_HELPER_ASYNC : PY_AUDIT_HELPER}`;
  const oneLine = `${o.ids} = ${call}(${o.getter}, "${o.resourceType}")`;
  const query = oneLine.length <= o.width ? oneLine : `${o.ids} = ${call}(\n    ${o.getter},\n    "${o.resourceType}",\n)`;
  const comprehension = `${o.element} for ${o.target} in ${o.iterable} if ${o.ids} is None or ${o.itemId} in ${o.ids}`;
  const filter = `${o.changed} = [${comprehension}]`;
  const filterLines =
    filter.length <= o.width
      ? filter
      : comprehension.length + 4 <= o.width
        ? `${o.changed} = [\n    ${comprehension}\n]`
        : `${o.changed} = [\n    ${o.element}\n    for ${o.target} in ${o.iterable}\n    if ${o.ids} is None or ${o.itemId} in ${o.ids}\n]`;
  return `# Partner Center Advisor: one Activity Log query, then refetch only the customers that changed.
${query}
${filterLines}`;
}

/** `import x` lines, sorted. */
function pyImportLines(modules: readonly string[]): string {
  return [...modules].sort().map((m) => `import ${m}`).join('\n');
}

export function pySnippets(): SnippetSpec[] {
  return [
    {
      prefix: 'pc-retry',
      name: 'Partner Center request with retry (Retry-After)',
      description: 'A Partner Center REST call wrapped in a retry that honours Retry-After on HTTP 429, with the helper.',
      body: (p) => `${pyImportLines(pyDefsFor([PY_RETRY_HELPER]).imports)}

import requests


${pyRetryHelper(false)}


response = ${PY_RETRY_HELPER}(lambda: requests.get(f"https://api.partnercenter.microsoft.com/v1/customers/{${p(1, 'customer_id')}}/subscriptions", headers={"Authorization": f"Bearer {${p(2, 'token')}}"}))
response.raise_for_status()`,
    },
    {
      prefix: 'pc-activity-log',
      name: 'Partner Center Activity Log query',
      description: 'Which customers had changes of a resource type in the last N days (GET /v1/auditrecords), instead of polling every customer; None when the query fails (then refetch everything).',
      body: (p) => {
        const { defs, imports } = pyDefsFor([PY_AUDIT_HELPER]);
        return `${pyImportLines(imports)}

import requests


${pyDefsCode(defs)}


${p(1, 'changed_customer_ids')} = ${PY_AUDIT_HELPER}(
    lambda params: requests.get("https://api.partnercenter.microsoft.com/v1/auditrecords", params=params, headers={"Authorization": f"Bearer {${p(2, 'token')}}"}),
    "${p(3, 'Subscription')}",
    days=${p(4, '1')},
)${p(0, '')}`;
      },
    },
    {
      prefix: 'pc-mca-confirm',
      name: 'Confirm the Microsoft Customer Agreement',
      description: 'Gets the MCA template id (GET /v1/agreements?agreementType=…), then confirms with type MicrosoftCustomerAgreement.',
      body: (p) => `import datetime

import requests

PC = "https://api.partnercenter.microsoft.com/v1"


def confirm_customer_agreement(token, customer_id, contact):
    headers = {"Authorization": f"Bearer {token}"}
    metadata = requests.get(f"{PC}/agreements", params={"agreementType": "${MCA}"}, headers=headers)
    metadata.raise_for_status()
    template_id = metadata.json()["items"][0]["templateId"]
    body = {
        "primaryContact": contact,
        "templateId": template_id,
        "dateAgreed": datetime.datetime.now(datetime.timezone.utc).isoformat(),
        "type": "${MCA}",
    }
    response = requests.post(f"{PC}/customers/{customer_id}/agreements", json=body, headers=headers)
    response.raise_for_status()
    return response.json()${p(0, '')}`,
    },
    {
      prefix: 'pc-agreement-check',
      name: 'Check the Microsoft Customer Agreement',
      description: 'GET /v1/customers/{id}/agreements with agreementType=MicrosoftCustomerAgreement.',
      body: (p) => `response = requests.get(
    f"https://api.partnercenter.microsoft.com/v1/customers/{${p(1, 'customer_id')}}/agreements",
    params={"agreementType": "${MCA}"},
    headers={"Authorization": f"Bearer {${p(2, 'token')}}"},
)
confirmed = response.ok and response.json().get("totalCount", 0) > 0`,
    },
  ];
}
