/**
 * C# code inserted by the quick fixes and offered as snippets (.NET SDK Microsoft.Store.PartnerCenter and
 * HttpClient).
 */
import type { SnippetSpec } from './types';

export const CS_RETRY_HELPER = 'WithPartnerCenterRetryAsync';
export const CS_RETRY_HELPER_SYNC = 'WithPartnerCenterRetry';

/** The `using` directives the helpers need. */
export const CS_RETRY_USINGS = ['System', 'System.Net', 'System.Net.Http', 'System.Threading.Tasks', 'Microsoft.Store.PartnerCenter.Exceptions'];

const DELAY = `private static TimeSpan PartnerCenterRetryDelay(int attempt, TimeSpan? retryAfter)
{
  if (retryAfter is { } wait && wait > TimeSpan.Zero) return wait;
  var seconds = Math.Min(30, Math.Pow(2, attempt - 1)) * (0.5 + Random.Shared.NextDouble() / 2);
  return TimeSpan.FromSeconds(seconds);
}`;

/**
 * Retries a throttled Partner Center call: the SDK throws PartnerException with ErrorCategory TooManyRequests
 * and RetryAfter (its own retry does not retry 429); HttpClient returns 429/503/504 with a Retry-After header.
 * Waits Retry-After when given, else exponential backoff with jitter; at most `maxAttempts` calls.
 */
export function csRetryHelpers(): string {
  return `/// <summary>Partner Center Advisor: retries a throttled Partner Center call (HTTP 429/503/504), waiting Retry-After, else exponential backoff with jitter.</summary>
private static async Task<T> ${CS_RETRY_HELPER}<T>(Func<Task<T>> call, int maxAttempts = 5)
{
  for (var attempt = 1; ; attempt++)
  {
    TimeSpan? retryAfter;
    try
    {
      var result = await call().ConfigureAwait(false);
      if (result is not HttpResponseMessage response || attempt >= maxAttempts
          || (response.StatusCode != (HttpStatusCode)429 && response.StatusCode != HttpStatusCode.ServiceUnavailable && response.StatusCode != HttpStatusCode.GatewayTimeout))
      {
        return result;
      }
      retryAfter = response.Headers.RetryAfter?.Delta ?? (response.Headers.RetryAfter?.Date - DateTimeOffset.UtcNow);
      response.Dispose();
    }
    catch (PartnerException e) when (e.ErrorCategory == PartnerErrorCategory.TooManyRequests && attempt < maxAttempts)
    {
      retryAfter = e.RetryAfter;
    }
    await Task.Delay(PartnerCenterRetryDelay(attempt, retryAfter)).ConfigureAwait(false);
  }
}

/// <summary>Partner Center Advisor: the same for synchronous SDK calls.</summary>
private static T ${CS_RETRY_HELPER_SYNC}<T>(Func<T> call, int maxAttempts = 5)
{
  for (var attempt = 1; ; attempt++)
  {
    try
    {
      return call();
    }
    catch (PartnerException e) when (e.ErrorCategory == PartnerErrorCategory.TooManyRequests && attempt < maxAttempts)
    {
      System.Threading.Thread.Sleep(PartnerCenterRetryDelay(attempt, e.RetryAfter));
    }
  }
}

${DELAY}`;
}

export function csRetryCall(expression: string, async: boolean): string {
  return async ? `${CS_RETRY_HELPER}(() => ${expression})` : `${CS_RETRY_HELPER_SYNC}(() => ${expression})`;
}

export const MCA = 'MicrosoftCustomerAgreement';

// ---- Polly (v8) retry pipeline -----------------------------------------------------------------------

export const CS_POLLY_PIPELINE = 'PartnerCenterRetryPipeline';

/** What the pipeline handles: the SDK's PartnerException, HttpClient responses, or both. */
export interface CsPollyKinds {
  sdk: boolean;
  http: boolean;
}

/** The `using` directives the pipeline needs. */
export function csPollyUsings(kinds: CsPollyKinds): string[] {
  return [
    'System',
    ...(kinds.http ? ['System.Net', 'System.Net.Http'] : []),
    'System.Threading.Tasks',
    ...(kinds.sdk ? ['Microsoft.Store.PartnerCenter.Exceptions'] : []),
    'Polly',
    'Polly.Retry',
  ];
}

/**
 * A Polly v8 ResiliencePipeline built once: retries on the SDK's TooManyRequests (PartnerException) and/or on
 * HTTP 429/503/504 responses and HttpRequestException, at most 5 retries, exponential backoff with jitter,
 * waiting Retry-After when the service sends it (DelayGenerator; null falls back to the backoff).
 */
export function csPollyPipeline(kinds: CsPollyKinds): string {
  const handle: string[] = [];
  const delay: string[] = [];
  if (kinds.sdk) {
    handle.push('.Handle<PartnerException>(e => e.ErrorCategory == PartnerErrorCategory.TooManyRequests)');
    delay.push('{ Exception: PartnerException e } => e.RetryAfter,');
  }
  if (kinds.http) {
    handle.push(
      '.Handle<HttpRequestException>()',
      '.HandleResult(result => result is HttpResponseMessage response',
      '  && ((int)response.StatusCode == 429 || response.StatusCode == HttpStatusCode.ServiceUnavailable || response.StatusCode == HttpStatusCode.GatewayTimeout))',
    );
    delay.push('{ Result: HttpResponseMessage response } => response.Headers.RetryAfter?.Delta ?? (response.Headers.RetryAfter?.Date - DateTimeOffset.UtcNow),');
  }
  return `/// <summary>Partner Center Advisor: retries throttled Partner Center calls (HTTP 429), waiting Retry-After, else exponential backoff with jitter (Polly).</summary>
private static readonly ResiliencePipeline ${CS_POLLY_PIPELINE} = new ResiliencePipelineBuilder()
  .AddRetry(new RetryStrategyOptions
  {
    ShouldHandle = new PredicateBuilder()
${handle.map((l) => `      ${l}`).join('\n')},
    MaxRetryAttempts = 5,
    BackoffType = DelayBackoffType.Exponential,
    UseJitter = true,
    Delay = TimeSpan.FromSeconds(1),
    MaxDelay = TimeSpan.FromSeconds(30),
    DelayGenerator = args => new ValueTask<TimeSpan?>(args.Outcome switch
    {
${delay.map((l) => `      ${l}`).join('\n')}
      _ => null,
    }),
  })
  .Build();`;
}

/**
 * The call run through the pipeline: `await Pipeline.ExecuteAsync(async ct => await call, token)` (the
 * caller writes the `await`), `Pipeline.ExecuteAsync(…).AsTask()` for a returned task, `Pipeline.Execute(() => call)`.
 */
export function csPollyCall(expression: string, mode: 'await' | 'task' | 'sync', o: { ct?: string; token?: string } = {}): string {
  if (mode === 'sync') return `${CS_POLLY_PIPELINE}.Execute(() => ${expression})`;
  const ct = o.ct ?? 'ct';
  const call = `${CS_POLLY_PIPELINE}.ExecuteAsync(async ${ct} => await ${expression}${o.token ? `, ${o.token}` : ''})`;
  return mode === 'task' ? `${call}.AsTask()` : call;
}

// ---- Activity Log ------------------------------------------------------------------------------------

export const CS_AUDIT_HELPER = 'PartnerCenterChangedCustomerIdsAsync';
export const CS_AUDIT_HELPER_SYNC = 'PartnerCenterChangedCustomerIds';

/** How the Activity Log request is retried: our helper, our Polly pipeline, or not at all. */
export type CsAuditRetry = 'helper' | 'pipeline' | undefined;

export function csAuditUsings(kind: 'sdk' | 'http', async: boolean): string[] {
  if (kind === 'http') {
    return ['System', 'System.Collections.Generic', 'System.Globalization', 'System.Linq', 'System.Net.Http', 'System.Text.Json', 'System.Threading.Tasks'];
  }
  return [
    'System',
    'System.Collections.Generic',
    'System.Linq',
    ...(async ? ['System.Threading.Tasks'] : []),
    'Microsoft.Store.PartnerCenter',
    'Microsoft.Store.PartnerCenter.Models.Auditing',
    'Microsoft.Store.PartnerCenter.Models.Query',
  ];
}

function retried(expression: string, async: boolean, retry: CsAuditRetry): string {
  if (retry === 'helper') return async ? `await ${CS_RETRY_HELPER}(() => ${expression}).ConfigureAwait(false)` : `${CS_RETRY_HELPER_SYNC}(() => ${expression})`;
  if (retry === 'pipeline') return async ? `await ${csPollyCall(expression, 'await')}.ConfigureAwait(false)` : csPollyCall(expression, 'sync');
  return async ? `await ${expression}.ConfigureAwait(false)` : expression;
}

/**
 * The customers with changes of a resource type in the last `days` days, from the Activity Log through the
 * .NET SDK (AuditRecords.Query filtered on ResourceType, every page).
 */
export function csAuditHelperSdk(async: boolean, retry: CsAuditRetry = undefined): string {
  const query = `partner.AuditRecords.${async ? 'QueryAsync' : 'Query'}(DateTime.UtcNow.AddDays(-days), DateTime.UtcNow, QueryFactory.Instance.BuildSimpleQuery(filter))`;
  const name = async ? CS_AUDIT_HELPER : CS_AUDIT_HELPER_SYNC;
  return `/// <summary>Partner Center Advisor: the customers with changes of <paramref name="resourceType"/> in the last <paramref name="days"/> days, from the Activity Log (audit records).</summary>
private static ${async ? 'async Task<HashSet<string>>' : 'HashSet<string>'} ${name}(IPartner partner, string resourceType, int days = 1)
{
  var filter = new SimpleFieldFilter(AuditRecordSearchField.ResourceType.ToString(), FieldFilterOperation.Equals, resourceType);
  var firstPage = ${retried(query, async, retry)};
  var changed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
  var pages = partner.Enumerators.AuditRecords.Create(firstPage);
  while (pages.HasValue)
  {
    foreach (var record in pages.Current.Items)
    {
      if (!string.IsNullOrEmpty(record.CustomerId)) changed.Add(record.CustomerId);
    }
    ${async ? 'await pages.NextAsync().ConfigureAwait(false)' : 'pages.Next()'};
  }
  return changed;
}`;
}

/**
 * The same through HttpClient: `getAuditRecords` sends GET …/auditrecords?{query} with the caller's client and
 * base URL; the JSON answer's `items[].customerId` are collected.
 */
export function csAuditHelperHttp(retry: CsAuditRetry = undefined): string {
  return `/// <summary>Partner Center Advisor: the customers with changes of <paramref name="resourceType"/> in the last <paramref name="days"/> days, from the Activity Log (GET /v1/auditrecords).</summary>
private static async Task<HashSet<string>> ${CS_AUDIT_HELPER}(Func<string, Task<HttpResponseMessage>> getAuditRecords, string resourceType, int days = 1)
{
  var startDate = DateTime.UtcNow.AddDays(-days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
  var filter = JsonSerializer.Serialize(new { Field = "ResourceType", Value = resourceType, Operator = "equals" });
  var query = $"startDate={startDate}&size=500&filter={Uri.EscapeDataString(filter)}";
  using var response = ${retried('getAuditRecords(query)', true, retry)};
  response.EnsureSuccessStatusCode();
  using var page = JsonDocument.Parse(await response.Content.ReadAsStringAsync().ConfigureAwait(false));
  var changed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
  if (page.RootElement.TryGetProperty("items", out var items))
  {
    foreach (var record in items.EnumerateArray())
    {
      if (record.TryGetProperty("customerId", out var id) && id.GetString() is { Length: > 0 } customerId) changed.Add(customerId);
    }
  }
  return changed;
}`;
}

/** What the Activity Log fix puts before the loop. `args` are the helper's first argument(s). */
export function csAuditQuery(variable: string, args: string, resourceType: string, async: boolean): string {
  return `// Partner Center Advisor: one Activity Log query, then refetch only the customers that changed.
var ${variable} = ${async ? `await ${CS_AUDIT_HELPER}` : CS_AUDIT_HELPER_SYNC}(${args}, "${resourceType}");`;
}

/** For an indexed `for` loop: the changed items as a list (or an array), which the loop then indexes. */
export function csChangedList(list: string, collection: string, item: string, variable: string, itemId: string, array: boolean): string {
  return `var ${list} = ${csChangedFilter(collection, item, variable, itemId)}.${array ? 'ToArray' : 'ToList'}();`;
}

/** The loop's collection, filtered on the changed customers. */
export function csChangedFilter(collection: string, item: string, variable: string, itemId: string): string {
  return `${collection}.Where(${item} => ${variable}.Contains(${itemId}))`;
}

/** The snippets: the class members are written inside a class, as C# requires. */
export function csSnippets(): SnippetSpec[] {
  const inClass = (body: string): string => body;
  return [
    {
      prefix: 'pc-retry',
      name: 'Partner Center call with retry (Retry-After)',
      description: 'A Partner Center SDK call wrapped in a retry that honours Retry-After on HTTP 429 (PartnerException TooManyRequests), with the helpers.',
      body: (p) =>
        inClass(`public class ${p(1, 'PartnerCenterJobs')}
{
  private readonly IAggregatePartner partnerOperations;

  public ${p(1, 'PartnerCenterJobs')}(IAggregatePartner partnerOperations) => this.partnerOperations = partnerOperations;

  public async Task<int> CountSubscriptionsAsync(string customerId)
  {
    var subscriptions = await ${CS_RETRY_HELPER}(() => partnerOperations.Customers.ById(customerId).Subscriptions.GetAsync());
    return subscriptions.TotalCount;
  }

${indent(csRetryHelpers(), '  ')}
}`),
    },
    {
      prefix: 'pc-activity-log',
      name: 'Partner Center Activity Log query',
      description: 'Which customers had changes of a resource type in the last N days (AuditRecords.QueryAsync, every page), instead of polling every customer; with the helper.',
      body: (p) => `public static Task<HashSet<string>> ${p(1, 'ChangedCustomerIdsAsync')}(IAggregatePartner partnerOperations) =>
  ${CS_AUDIT_HELPER}(partnerOperations, "${p(2, 'Subscription')}", ${p(3, '1')});

${csAuditHelperSdk(true)}`,
    },
    {
      prefix: 'pc-mca-confirm',
      name: 'Confirm the Microsoft Customer Agreement',
      description: 'Gets the MCA template id (AgreementDetails.ByAgreementType), then confirms with Type = MicrosoftCustomerAgreement.',
      body: (p) => `public static async Task ConfirmCustomerAgreementAsync(IAggregatePartner partnerOperations, string customerId, Contact contact)
{
  var metadata = await partnerOperations.AgreementDetails.ByAgreementType("${MCA}").GetAsync();
  var template = metadata.Items.First();
  var agreement = new Agreement
  {
    TemplateId = template.TemplateId,
    DateAgreed = DateTime.UtcNow,
    PrimaryContact = contact,
    Type = "${MCA}",
  };
  await partnerOperations.Customers.ById(customerId).Agreements.CreateAsync(agreement);${p(0, '')}
}`,
    },
    {
      prefix: 'pc-agreement-check',
      name: 'Check the Microsoft Customer Agreement',
      description: "A customer's MCA confirmations: Agreements.ByAgreementType(\"MicrosoftCustomerAgreement\").",
      body: (p) => `var agreements = await ${p(1, 'partnerOperations')}.Customers.ById(${p(2, 'customerId')}).Agreements.ByAgreementType("${MCA}").GetAsync();
var confirmed = agreements.TotalCount > 0;`,
    },
  ];
}

function indent(code: string, by: string): string {
  return code
    .split('\n')
    .map((l) => (l.trim() ? by + l : ''))
    .join('\n');
}
