/**
 * TypeScript / JavaScript code inserted by the quick fixes and offered as snippets.
 */
import type { SnippetSpec } from './types';

export const TS_RETRY_HELPER = 'withPartnerCenterRetry';
export const TS_AUDIT_HELPER = 'partnerCenterChangedCustomerIds';

/**
 * Retries a Partner Center call on HTTP 429 (and 503/504), waiting Retry-After when the service sends it,
 * else exponential backoff with jitter; at most `maxAttempts` calls, then the last error or response is
 * returned/rethrown. Works with clients that throw (axios, got, ky) and with fetch-style responses.
 */
export function retryHelper(typed: boolean): string {
  const T = (s: string) => (typed ? s : '');
  return `/** Partner Center Advisor: retries a throttled Partner Center call (HTTP 429/503/504), waiting Retry-After, else exponential backoff with jitter. */
async function ${TS_RETRY_HELPER}${T('<T>')}(call${T(': () => Promise<T>')}, maxAttempts = 5)${T(': Promise<T>')} {
  const retryable = [429, 503, 504];
  for (let attempt = 1; ; attempt++) {
    let status${T(': number | undefined')};
    let headers${T(': any')};
    try {
      const result = await call();
      const response = result${T(' as any')};
      status = typeof response?.status === 'number' ? response.status : undefined;
      if (status === undefined || !retryable.includes(status) || attempt >= maxAttempts) return result;
      headers = response.headers;
    } catch (error) {
      const e = error${T(' as any')};
      status = e?.response?.status ?? e?.status ?? e?.statusCode;
      if (status === undefined || !retryable.includes(status) || attempt >= maxAttempts) throw error;
      headers = e.response?.headers ?? e.headers;
    }
    const retryAfter = typeof headers?.get === 'function' ? headers.get('retry-after') : headers?.['retry-after'];
    const seconds = Number(retryAfter);
    const dateDelay = retryAfter ? Date.parse(retryAfter) - Date.now() : NaN;
    const delayMs = retryAfter && Number.isFinite(seconds)
      ? seconds * 1000
      : Number.isFinite(dateDelay) && dateDelay > 0
        ? dateDelay
        : Math.min(30_000, 1000 * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
}`;
}

export function retryCall(expression: string): string {
  return `${TS_RETRY_HELPER}(() => ${expression})`;
}

/**
 * Asks the Activity Log (GET /v1/auditrecords) which customers had changes of a resource type in the last
 * `days` days. `getAuditRecords` makes the request with the caller's own client and returns the JSON body.
 */
export function auditHelper(typed: boolean): string {
  const T = (s: string) => (typed ? s : '');
  return `/**
 * Partner Center Advisor: customers with changes of \`resourceType\` in the last \`days\` days, from the Activity Log
 * (GET /v1/auditrecords); undefined when the answer has more than one page (then refetch every customer).
 */
async function ${TS_AUDIT_HELPER}(
  getAuditRecords${T(': (query: string) => Promise<any>')},
  resourceType${T(': string')},
  days = 1,
)${T(': Promise<Set<string> | undefined>')} {
  const startDate = new Date(Date.now() - days * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
  const filter = JSON.stringify({ Field: 'ResourceType', Value: resourceType, Operator: 'equals' });
  const page = await getAuditRecords(\`startDate=\${startDate}&size=500&filter=\${encodeURIComponent(filter)}\`);
  if (page?.continuationToken) return undefined;
  const records${T(': { customerId?: string }[]')} = page?.items ?? [];
  return new Set(records.map((record) => record.customerId).filter(${typed ? '(id): id is string => !!id' : '(id) => !!id'}));
}`;
}

/** The statement the Activity Log fix puts before the loop. */
export function auditQuery(variable: string, getter: string, resourceType: string): string {
  return `// Partner Center Advisor: one Activity Log query, then refetch only the customers that changed.
const ${variable} = await ${TS_AUDIT_HELPER}(${getter}, '${resourceType}');`;
}

export const tsSnippets = (typed: boolean): SnippetSpec[] => [
  {
    prefix: 'pc-retry',
    name: 'Partner Center request with retry (Retry-After)',
    description: 'A Partner Center call wrapped in a retry that honours Retry-After on HTTP 429, with the helper.',
    body: (p) => `${retryHelper(typed)}

const ${p(1, 'response')} = await ${retryCall(`fetch(\`https://api.partnercenter.microsoft.com/v1/${p(2, 'customers/${customerId}/subscriptions')}\`, { headers: { Authorization: \`Bearer \${${p(3, 'token')}}\` } })`)};`,
  },
  {
    prefix: 'pc-activity-log',
    name: 'Partner Center Activity Log query',
    description: 'Which customers changed in the last N days (GET /v1/auditrecords), instead of polling every customer.',
    body: (p) => `${auditHelper(typed)}

const ${p(1, 'changedCustomerIds')} = await ${TS_AUDIT_HELPER}(
  (query) => fetch(\`https://api.partnercenter.microsoft.com/v1/auditrecords?\${query}\`, { headers: { Authorization: \`Bearer \${${p(2, 'token')}}\` } }).then((r) => r.json()),
  '${p(3, 'Subscription')}',
  ${p(4, '1')},
);`,
  },
  {
    prefix: 'pc-mca-confirm',
    name: 'Confirm the Microsoft Customer Agreement',
    description: 'Gets the MCA template id (GET /v1/agreements with agreementType), then confirms with type MicrosoftCustomerAgreement.',
    body: (p) => `const pcHeaders = { Authorization: \`Bearer \${${p(1, 'token')}}\`, 'Content-Type': 'application/json' };
const metadata = await (await fetch('https://api.partnercenter.microsoft.com/v1/agreements?agreementType=MicrosoftCustomerAgreement', { headers: pcHeaders })).json();
await fetch(\`https://api.partnercenter.microsoft.com/v1/customers/\${${p(2, 'customerId')}}/agreements\`, {
  method: 'POST',
  headers: pcHeaders,
  body: JSON.stringify({
    primaryContact: { firstName: '${p(3, 'First')}', lastName: '${p(4, 'Last')}', email: '${p(5, 'email@contoso.com')}' },
    templateId: metadata.items[0].templateId,
    dateAgreed: new Date().toISOString(),
    type: 'MicrosoftCustomerAgreement',
  }),
});`,
  },
  {
    prefix: 'pc-agreement-check',
    name: 'Check a customer’s Microsoft Customer Agreement',
    description: 'GET /v1/customers/{id}/agreements with agreementType=MicrosoftCustomerAgreement.',
    body: (p) => `const agreements = await (await fetch(\`https://api.partnercenter.microsoft.com/v1/customers/\${${p(1, 'customerId')}}/agreements?agreementType=MicrosoftCustomerAgreement\`, { headers: { Authorization: \`Bearer \${${p(2, 'token')}}\` } })).json();
const ${p(3, 'hasAcceptedMca')} = agreements.totalCount > 0;`,
  },
];
