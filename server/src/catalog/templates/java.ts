/**
 * Java code offered as snippets (the Partner Center Java SDK, com.microsoft.store.partnercenter).
 */
import type { SnippetSpec } from './types';

export const JAVA_RETRY_HELPER = 'withPartnerCenterRetry';
const MCA = 'MicrosoftCustomerAgreement';

/**
 * Retries a throttled Partner Center SDK call: the SDK throws PartnerException (HTTP 429: a too-many-requests
 * error category, or 429 in the message). The Java SDK does not expose the Retry-After header; the service repeats it in
 * the message ("Try again in 57 seconds"), which is used when present, else exponential backoff with jitter;
 * at most `maxAttempts` calls, then rethrows.
 */
export function javaRetryHelper(): string {
  return `/** Partner Center Advisor: retries a throttled Partner Center call (HTTP 429), waiting the delay the service asks for, else exponential backoff with jitter. */
private static <T> T ${JAVA_RETRY_HELPER}(java.util.function.Supplier<T> call) {
  final int maxAttempts = 5;
  for (int attempt = 1; ; attempt++) {
    try {
      return call.get();
    } catch (PartnerException e) {
      // The category's name, not a constant: SDK versions differ in the categories they define.
      boolean throttled = (e.getErrorCategory() != null && e.getErrorCategory().name().contains("TOO_MANY"))
          || String.valueOf(e.getMessage()).contains("429");
      if (!throttled || attempt >= maxAttempts) {
        throw e;
      }
      java.util.regex.Matcher retryAfter = java.util.regex.Pattern.compile("(?i)try again in (\\d+) seconds").matcher(String.valueOf(e.getMessage()));
      long delayMs = retryAfter.find()
          ? Long.parseLong(retryAfter.group(1)) * 1000
          : (long) (Math.min(30, Math.pow(2, attempt - 1)) * 1000 * (0.5 + Math.random() / 2));
      try {
        Thread.sleep(delayMs);
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        throw e;
      }
    }
  }
}`;
}

export function javaSnippets(): SnippetSpec[] {
  return [
    {
      prefix: 'pc-retry',
      name: 'Partner Center call with retry (Retry-After)',
      description: 'A Partner Center SDK call wrapped in a retry on HTTP 429 (PartnerException), with the helper.',
      body: (p) => `public class ${p(1, 'PartnerCenterJobs')} {
  private final IAggregatePartner partnerOperations;

  public ${p(1, 'PartnerCenterJobs')}(IAggregatePartner partnerOperations) {
    this.partnerOperations = partnerOperations;
  }

  public long countSubscriptions(String customerId) {
    return ${JAVA_RETRY_HELPER}(() -> partnerOperations.getCustomers().byId(customerId).getSubscriptions().get()).getTotalCount();
  }

${javaRetryHelper()
  .split('\n')
  .map((l) => (l.trim() ? `  ${l}` : ''))
  .join('\n')}
}`,
    },
    {
      prefix: 'pc-activity-log',
      name: 'Partner Center Activity Log query',
      description: 'Which customers had changes of a resource type in the last N days (getAuditRecords().query), instead of polling every customer.',
      body: (p) => `public static java.util.Set<String> changedCustomerIds(IAggregatePartner partnerOperations) {
  java.util.Calendar start = java.util.Calendar.getInstance();
  start.add(java.util.Calendar.DAY_OF_MONTH, -${p(1, '1')});
  SimpleFieldFilter filter = new SimpleFieldFilter(AuditRecordSearchField.RESOURCE_TYPE.toString(), FieldFilterOperation.EQUALS, "${p(2, 'Subscription')}");
  SeekBasedResourceCollection<AuditRecord> records = partnerOperations.getAuditRecords().query(start.getTime(), null, QueryFactory.getInstance().buildSimpleQuery(filter));
  java.util.Set<String> changed = new java.util.HashSet<>();
  for (AuditRecord record : records.getItems()) {
    if (record.getCustomerId() != null) {
      changed.add(record.getCustomerId());
    }
  }
  return changed;
}`,
    },
    {
      prefix: 'pc-mca-confirm',
      name: 'Confirm the Microsoft Customer Agreement',
      description: 'Gets the MCA template id (getAgreementDetails().byAgreementType), then confirms with setType("MicrosoftCustomerAgreement").',
      body: (p) => `public static Agreement confirmCustomerAgreement(IAggregatePartner partnerOperations, String customerId, Contact contact) {
  AgreementMetaData template = partnerOperations.getAgreementDetails().byAgreementType("${MCA}").get().getItems().iterator().next();
  Agreement agreement = new Agreement();
  agreement.setTemplateId(template.getTemplateId());
  agreement.setDateAgreed(new java.util.Date());
  agreement.setPrimaryContact(contact);
  agreement.setType("${MCA}");
  return partnerOperations.getCustomers().byId(customerId).getAgreements().create(agreement);${p(0, '')}
}`,
    },
    {
      prefix: 'pc-agreement-check',
      name: 'Check the Microsoft Customer Agreement',
      description: 'A customer\'s MCA confirmations: getAgreements().byAgreementType("MicrosoftCustomerAgreement").',
      body: (p) => `ResourceCollection<Agreement> agreements = ${p(1, 'partnerOperations')}.getCustomers().byId(${p(2, 'customerId')}).getAgreements().byAgreementType("${MCA}").get();
boolean confirmed = agreements.getTotalCount() > 0;`,
    },
  ];
}
