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
      description: 'Which customers had changes of a resource type in the last N days (AuditRecords.Query), instead of polling every customer.',
      body: (p) => `public static async Task<HashSet<string>> ChangedCustomerIdsAsync(IAggregatePartner partnerOperations)
{
  var startDate = DateTime.UtcNow.AddDays(-${p(1, '1')});
  var filter = new SimpleFieldFilter(AuditRecordSearchField.ResourceType.ToString(), FieldFilterOperation.Equals, "${p(2, 'Subscription')}");
  var records = await partnerOperations.AuditRecords.QueryAsync(startDate, query: QueryFactory.Instance.BuildSimpleQuery(filter));
  var changed = new HashSet<string>();
  foreach (var record in records.Items)
  {
    if (!string.IsNullOrEmpty(record.CustomerId)) changed.Add(record.CustomerId);
  }
  return changed;
}`,
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
