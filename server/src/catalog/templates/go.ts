/**
 * Go code inserted by the quick fixes and offered as snippets (net/http, resty; there is no official Partner
 * Center SDK for Go). Templates use gofmt's layout: tabs become the file's indentation through
 * `SourceText.block` (written here with two spaces per level).
 */
import type { SnippetSpec } from './types';

export const GO_RETRY_HELPER = 'withPartnerCenterRetry';
export const GO_AUDIT_HELPER = 'partnerCenterChangedCustomerIDs';
export const MCA = 'MicrosoftCustomerAgreement';

/** Local names of the packages the helpers use, by import path (an alias when the default name is taken). */
export type GoPackageNames = Record<GoPackage, string>;
export type GoPackage = 'context' | 'encoding/json' | 'io' | 'math/rand' | 'net/http' | 'net/url' | 'strconv' | 'time';

export const GO_RETRY_IMPORTS: readonly GoPackage[] = ['context', 'io', 'math/rand', 'net/http', 'strconv', 'time'];
export const GO_AUDIT_IMPORTS: readonly GoPackage[] = ['context', 'encoding/json', 'net/http', 'net/url', 'time'];

export const GO_DEFAULT_NAMES: GoPackageNames = {
  context: 'context',
  'encoding/json': 'json',
  io: 'io',
  'math/rand': 'rand',
  'net/http': 'http',
  'net/url': 'url',
  strconv: 'strconv',
  time: 'time',
};

/**
 * Retries a throttled Partner Center call on HTTP 429/503/504: net/http responses and client response types
 * with `StatusCode()`/`Header()` (resty). Waits Retry-After (seconds or an HTTP date) when the service sends
 * it, else exponential backoff with jitter; at most 5 calls, then the last response and error as they are.
 * Errors (the request was not answered) are returned at once; waiting stops when ctx is done.
 */
export function goRetryHelper(n: GoPackageNames = GO_DEFAULT_NAMES): string {
  const { context, io, strconv, time } = n;
  const http = n['net/http'];
  const rand = n['math/rand'];
  return `// ${GO_RETRY_HELPER} retries a throttled Partner Center call (HTTP 429/503/504), waiting Retry-After when
// the service sends it, else exponential backoff with jitter; at most 5 calls, then the last result as it is.
// (Partner Center Advisor)
func ${GO_RETRY_HELPER}[T any](ctx ${context}.Context, send func() (T, error)) (T, error) {
  const maxAttempts = 5
  for attempt := 1; ; attempt++ {
    result, err := send()
    if err != nil || attempt >= maxAttempts {
      return result, err
    }
    status, header := partnerCenterStatus(result)
    if status != ${http}.StatusTooManyRequests && status != ${http}.StatusServiceUnavailable && status != ${http}.StatusGatewayTimeout {
      return result, err
    }
    delay := partnerCenterRetryDelay(attempt, header.Get("Retry-After"))
    if r, ok := any(result).(*${http}.Response); ok && r.Body != nil {
      _, _ = ${io}.Copy(${io}.Discard, r.Body) // frees the connection for the next attempt
      _ = r.Body.Close()
    }
    timer := ${time}.NewTimer(delay)
    select {
    case <-ctx.Done():
      timer.Stop()
      var zero T
      return zero, ctx.Err()
    case <-timer.C:
    }
  }
}

// partnerCenterStatus is the status and headers of a net/http response or of a client's own response type.
func partnerCenterStatus(result any) (int, ${http}.Header) {
  switch r := result.(type) {
  case *${http}.Response:
    if r != nil {
      return r.StatusCode, r.Header
    }
  case interface {
    StatusCode() int
    Header() ${http}.Header
  }:
    return r.StatusCode(), r.Header()
  }
  return 0, nil
}

// partnerCenterRetryDelay is Retry-After (seconds or an HTTP date) when given, else exponential backoff with jitter.
func partnerCenterRetryDelay(attempt int, retryAfter string) ${time}.Duration {
  if seconds, err := ${strconv}.Atoi(retryAfter); err == nil && seconds >= 0 {
    return ${time}.Duration(seconds) * ${time}.Second
  }
  if when, err := ${http}.ParseTime(retryAfter); err == nil {
    if d := ${time}.Until(when); d > 0 {
      return d
    }
    return 0
  }
  backoff := ${time}.Second << (attempt - 1)
  if backoff > 30*${time}.Second {
    backoff = 30 * ${time}.Second
  }
  return backoff/2 + ${time}.Duration(${rand}.Int63n(int64(backoff/2)+1))
}`;
}

/** `withPartnerCenterRetry(ctx, func() (T, error) { return call })`, on one line or as a block. */
export function goRetryCall(ctxExpr: string, resultType: string, call: string, prelude: readonly string[] = [], block = false): string {
  // gofmt keeps a func literal on one line when its header and body fit in 100 columns.
  const header = `func() (${resultType}, error)`;
  if (!block && prelude.length === 0 && !call.includes('\n') && header.length + 1 + `return ${call}`.length <= 100) {
    return `${GO_RETRY_HELPER}(${ctxExpr}, func() (${resultType}, error) { return ${call} })`;
  }
  return `${GO_RETRY_HELPER}(${ctxExpr}, func() (${resultType}, error) {\n${[...prelude, `return ${call}`].map((l) => `  ${l}`).join('\n')}\n})`;
}

/** Before re-sending a request built with a body, the body is read again (http.NewRequest sets GetBody). */
export function goRewindBody(request: string): string[] {
  return [`if ${request}.GetBody != nil { // a retry sends the body again`, `  ${request}.Body, _ = ${request}.GetBody()`, '}'];
}

/**
 * Asks the Activity Log (GET /v1/auditrecords) which customers had changes of a resource type in the last
 * `days` days; `getAuditRecords` sends the request with the caller's own client and base URL.
 */
export function goAuditHelper(n: GoPackageNames = GO_DEFAULT_NAMES): string {
  const { context, time } = n;
  const http = n['net/http'];
  const json = n['encoding/json'];
  const url = n['net/url'];
  return `// ${GO_AUDIT_HELPER} asks the Partner Center Activity Log (GET /v1/auditrecords) which customers had
// changes of resourceType in the last days; getAuditRecords sends the request with the caller's client and base
// URL. It returns nil when the query fails or the answer has more than one page: the caller then refetches
// every item. (Partner Center Advisor)
func ${GO_AUDIT_HELPER}(ctx ${context}.Context, getAuditRecords func(query string) (*${http}.Response, error), resourceType string, days int) map[string]bool {
  filter, _ := ${json}.Marshal(map[string]string{"Field": "ResourceType", "Value": resourceType, "Operator": "equals"})
  query := ${url}.Values{}
  query.Set("startDate", ${time}.Now().UTC().AddDate(0, 0, -days).Format("2006-01-02"))
  query.Set("size", "500")
  query.Set("filter", string(filter))
  resp, err := ${GO_RETRY_HELPER}(ctx, func() (*${http}.Response, error) { return getAuditRecords(query.Encode()) })
  if err != nil {
    return nil
  }
  defer resp.Body.Close()
  var page struct {
    Items []struct {
      CustomerID string \`json:"customerId"\`
    } \`json:"items"\`
    ContinuationToken string \`json:"continuationToken"\`
  }
  if resp.StatusCode != ${http}.StatusOK || ${json}.NewDecoder(resp.Body).Decode(&page) != nil || page.ContinuationToken != "" {
    return nil
  }
  changed := make(map[string]bool, len(page.Items))
  for _, record := range page.Items {
    if record.CustomerID != "" {
      changed[record.CustomerID] = true
    }
  }
  return changed
}`;
}

/**
 * What the Activity Log fix puts before the per-item loop: the query, then the items that changed (all of them
 * when the query failed). The loop then ranges over `changed`.
 */
export function goAuditQuery(o: {
  ids: string;
  changed: string;
  ctxExpr: string;
  getter: string;
  resourceType: string;
  collection: string;
  item: string;
  itemId: string;
}): string {
  return `// Partner Center Advisor: one Activity Log query, then refetch only the customers that changed.
${o.ids} := ${GO_AUDIT_HELPER}(${o.ctxExpr}, ${o.getter}, "${o.resourceType}", 1)
${o.changed} := ${o.collection}[:0:0]
for _, ${o.item} := range ${o.collection} {
  if ${o.ids} == nil || ${o.ids}[${o.itemId}] {
    ${o.changed} = append(${o.changed}, ${o.item})
  }
}`;
}

const PC = 'https://api.partnercenter.microsoft.com/v1';

/** gofmt indents with tabs: snippet lines get one tab per two-space level (VS Code keeps tabs in Go files). */
const tabs = (code: string): string => code.replace(/^(?: {2})+/gm, (m) => '\t'.repeat(m.length / 2));

/** The snippets leave the imports to goimports/gopls (organize imports on save). */
export function goSnippets(): SnippetSpec[] {
  return rawGoSnippets().map((s) => ({ ...s, body: (p) => tabs(s.body(p)) }));
}

function rawGoSnippets(): SnippetSpec[] {
  return [
    {
      prefix: 'pc-retry',
      name: 'Partner Center request with retry (Retry-After)',
      description: 'A Partner Center call through net/http wrapped in a retry that honours Retry-After on HTTP 429/503/504, with the helper.',
      body: (p) => `${goRetryHelper()}

func ${p(1, 'listSubscriptions')}(ctx context.Context, hc *http.Client, token, customerID string) (*http.Response, error) {
  return ${GO_RETRY_HELPER}(ctx, func() (*http.Response, error) {
    req, err := http.NewRequestWithContext(ctx, http.MethodGet, "${PC}/${p(2, 'customers/"+customerID+"/subscriptions')}", nil)
    if err != nil {
      return nil, err
    }
    req.Header.Set("Authorization", "Bearer "+token)
    return hc.Do(req)
  })
}`,
    },
    {
      prefix: 'pc-activity-log',
      name: 'Partner Center Activity Log query',
      description: 'Which customers had changes of a resource type in the last N days (GET /v1/auditrecords), instead of polling every customer; with the retry helper it uses.',
      body: (p) => `${goRetryHelper()}

${goAuditHelper()}

func ${p(1, 'changedCustomers')}(ctx context.Context, hc *http.Client, token string) map[string]bool {
  return ${GO_AUDIT_HELPER}(ctx, func(query string) (*http.Response, error) {
    req, err := http.NewRequestWithContext(ctx, http.MethodGet, "${PC}/auditrecords?"+query, nil)
    if err != nil {
      return nil, err
    }
    req.Header.Set("Authorization", "Bearer "+token)
    return hc.Do(req)
  }, "${p(2, 'Subscription')}", ${p(3, '1')})
}`,
    },
    {
      prefix: 'pc-mca-confirm',
      name: 'Confirm the Microsoft Customer Agreement',
      description: 'Gets the MCA template id (GET /v1/agreements?agreementType=…), then confirms with type MicrosoftCustomerAgreement.',
      body: (p) => `func ${p(1, 'confirmCustomerAgreement')}(ctx context.Context, hc *http.Client, token, customerID, firstName, lastName, email string) (*http.Response, error) {
  req, err := http.NewRequestWithContext(ctx, http.MethodGet, "${PC}/agreements?agreementType=${MCA}", nil)
  if err != nil {
    return nil, err
  }
  req.Header.Set("Authorization", "Bearer "+token)
  resp, err := hc.Do(req)
  if err != nil {
    return nil, err
  }
  defer resp.Body.Close()
  var metadata struct {
    Items []struct {
      TemplateID string \`json:"templateId"\`
    } \`json:"items"\`
  }
  if err := json.NewDecoder(resp.Body).Decode(&metadata); err != nil || len(metadata.Items) == 0 {
    return nil, fmt.Errorf("agreement metadata: %s: %v", resp.Status, err)
  }
  body, err := json.Marshal(map[string]any{
    "primaryContact": map[string]string{"firstName": firstName, "lastName": lastName, "email": email},
    "templateId":     metadata.Items[0].TemplateID,
    "dateAgreed":     time.Now().UTC().Format(time.RFC3339),
    "type":           "${MCA}",
  })
  if err != nil {
    return nil, err
  }
  confirm, err := http.NewRequestWithContext(ctx, http.MethodPost, "${PC}/customers/"+customerID+"/agreements", bytes.NewReader(body))
  if err != nil {
    return nil, err
  }
  confirm.Header.Set("Authorization", "Bearer "+token)
  confirm.Header.Set("Content-Type", "application/json")
  return hc.Do(confirm)
}`,
    },
    {
      prefix: 'pc-agreement-check',
      name: 'Check the Microsoft Customer Agreement',
      description: 'GET /v1/customers/{id}/agreements with agreementType=MicrosoftCustomerAgreement.',
      body: (p) => `func ${p(1, 'hasAcceptedMca')}(ctx context.Context, hc *http.Client, token, customerID string) (bool, error) {
  req, err := http.NewRequestWithContext(ctx, http.MethodGet, "${PC}/customers/"+customerID+"/agreements?agreementType=${MCA}", nil)
  if err != nil {
    return false, err
  }
  req.Header.Set("Authorization", "Bearer "+token)
  resp, err := hc.Do(req)
  if err != nil {
    return false, err
  }
  defer resp.Body.Close()
  var agreements struct {
    TotalCount int \`json:"totalCount"\`
  }
  if err := json.NewDecoder(resp.Body).Decode(&agreements); err != nil {
    return false, err
  }
  return agreements.TotalCount > 0, nil
}`,
    },
  ];
}
