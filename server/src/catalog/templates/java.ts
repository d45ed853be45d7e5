/**
 * Java code inserted by the quick fixes and offered as snippets: the Partner Center Java SDK
 * (com.microsoft.store.partnercenter), java.net.http, OkHttp and Spring RestTemplate.
 *
 * Class names go through a `JavaNames` function: the quick fixes pass one that answers the simple name and adds
 * the import (or the qualified name when the simple name is taken); the snippets, which cannot add imports,
 * qualify the JDK's classes and keep the SDK's simple names.
 */
import type { SnippetSpec } from './types';

export const JAVA_RETRY_HELPER = 'withPartnerCenterRetry';
export const JAVA_RETRY_DELAY = 'partnerCenterRetryDelayMillis';
export const JAVA_AUDIT_HELPER = 'partnerCenterChangedCustomerIds';
const MCA = 'MicrosoftCustomerAgreement';

/** How a class is written: its simple name (imported) or its qualified name. */
export type JavaNames = (qualifiedName: string) => string;

/** What the retry helper re-runs and how it reads the outcome. */
export type JavaRetryVariant = 'sdk' | 'jdk' | 'okhttp' | 'spring';

export const JAVA_TYPES = {
  supplier: 'java.util.function.Supplier',
  partnerException: 'com.microsoft.store.partnercenter.exception.PartnerException',
  matcher: 'java.util.regex.Matcher',
  pattern: 'java.util.regex.Pattern',
  closeable: 'java.io.Closeable',
  ioException: 'java.io.IOException',
  interruptedIo: 'java.io.InterruptedIOException',
  httpResponse: 'java.net.http.HttpResponse',
  okResponse: 'okhttp3.Response',
  statusCodeException: 'org.springframework.web.client.HttpStatusCodeException',
  duration: 'java.time.Duration',
  zonedDateTime: 'java.time.ZonedDateTime',
  dateTimeFormatter: 'java.time.format.DateTimeFormatter',
  dateTimeParseException: 'java.time.format.DateTimeParseException',
  threadLocalRandom: 'java.util.concurrent.ThreadLocalRandom',
  partner: 'com.microsoft.store.partnercenter.IPartner',
  seekCollection: 'com.microsoft.store.partnercenter.models.SeekBasedResourceCollection',
  auditRecord: 'com.microsoft.store.partnercenter.models.auditing.AuditRecord',
  auditSearchField: 'com.microsoft.store.partnercenter.models.auditing.AuditRecordSearchField',
  queryFactory: 'com.microsoft.store.partnercenter.models.query.QueryFactory',
  fieldFilterOperation: 'com.microsoft.store.partnercenter.models.query.filters.FieldFilterOperation',
  simpleFieldFilter: 'com.microsoft.store.partnercenter.models.query.filters.SimpleFieldFilter',
  jodaDateTime: 'org.joda.time.DateTime',
  set: 'java.util.Set',
  hashSet: 'java.util.HashSet',
  list: 'java.util.List',
  arrayList: 'java.util.ArrayList',
} as const;

/** The functional interface the jdk and okhttp helpers take (their calls throw checked exceptions). */
export const JAVA_RETRY_INTERFACES: Partial<Record<JavaRetryVariant, string>> = { jdk: 'PartnerCenterRequest', okhttp: 'PartnerCenterCall' };

const RETRY_DOC = 'Partner Center Advisor: retries a throttled Partner Center call';

/**
 * The retry helper (and the functional interface it takes), a private static member of the caller's class.
 *
 * - sdk: the SDK throws PartnerException (a RuntimeException). Partner-Center-Java 1.15 reports HTTP 429 as
 *   SERVER_ERROR (only 503 has a category of its own, SERVER_BUSY), so both are retried, and a TOO_MANY_REQUESTS
 *   category or 429 in the message where a version has them. The SDK does not expose Retry-After; the service
 *   repeats it in the message ("Try again in 57 seconds").
 * - jdk: `client.send(…)` throws IOException and InterruptedException; the helper throws the same.
 * - okhttp: `client.newCall(request).execute()` throws IOException; the helper too (an interrupted wait is an
 *   InterruptedIOException, as in OkHttp).
 * - spring: RestTemplate throws HttpStatusCodeException (unchecked) with the status and the response headers.
 */
export function javaRetryHelper(variant: JavaRetryVariant, n: JavaNames): string {
  const T = JAVA_TYPES;
  const retryable = '(status != 429 && status != 503 && status != 504) || attempt >= maxAttempts';
  switch (variant) {
    case 'sdk':
      return `/** ${RETRY_DOC}, waiting the delay the service asks for, else exponential backoff with jitter; at most 5 calls, then rethrows. */
private static <T> T ${JAVA_RETRY_HELPER}(${n(T.supplier)}<T> call) {
  final int maxAttempts = 5;
  for (int attempt = 1; ; attempt++) {
    try {
      return call.get();
    } catch (${n(T.partnerException)} e) {
      // The SDK reports HTTP 429 as SERVER_ERROR and 503 as SERVER_BUSY; by name: categories differ between versions.
      String category = e.getErrorCategory() == null ? "" : e.getErrorCategory().name();
      boolean throttled = category.equals("SERVER_ERROR") || category.equals("SERVER_BUSY") || category.startsWith("TOO_MANY")
          || String.valueOf(e.getMessage()).contains("429");
      if (!throttled || attempt >= maxAttempts) {
        throw e;
      }
      // The SDK does not expose Retry-After; the service repeats it in the message ("Try again in 57 seconds").
      ${n(T.matcher)} tryAgain = ${n(T.pattern)}.compile("(?i)try again in (\\\\d+) seconds").matcher(String.valueOf(e.getMessage()));
      try {
        Thread.sleep(${JAVA_RETRY_DELAY}(attempt, tryAgain.find() ? tryAgain.group(1) : null));
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        throw e;
      }
    }
  }
}`;
    case 'jdk': {
      const response = n(T.httpResponse);
      const io = n(T.ioException);
      return `/** ${RETRY_DOC} (HTTP 429/503/504), waiting Retry-After, else exponential backoff with jitter; at most 5 calls, then the last response. */
private static <T> ${response}<T> ${JAVA_RETRY_HELPER}(${JAVA_RETRY_INTERFACES.jdk}<T> request) throws ${io}, InterruptedException {
  final int maxAttempts = 5;
  for (int attempt = 1; ; attempt++) {
    ${response}<T> response = request.send();
    int status = response.statusCode();
    if (${retryable}) {
      return response;
    }
    if (response.body() instanceof ${n(T.closeable)}) {
      ((${n(T.closeable)}) response.body()).close(); // a streamed body frees its connection
    }
    Thread.sleep(${JAVA_RETRY_DELAY}(attempt, response.headers().firstValue("Retry-After").orElse(null)));
  }
}

/** A Partner Center request sent with java.net.http, as ${JAVA_RETRY_HELPER} re-sends it. */
@FunctionalInterface
private interface ${JAVA_RETRY_INTERFACES.jdk}<T> {
  ${response}<T> send() throws ${io}, InterruptedException;
}`;
    }
    case 'okhttp': {
      const response = n(T.okResponse);
      const io = n(T.ioException);
      return `/** ${RETRY_DOC} (HTTP 429/503/504), waiting Retry-After, else exponential backoff with jitter; at most 5 calls, then the last response. */
private static ${response} ${JAVA_RETRY_HELPER}(${JAVA_RETRY_INTERFACES.okhttp} call) throws ${io} {
  final int maxAttempts = 5;
  for (int attempt = 1; ; attempt++) {
    ${response} response = call.execute();
    int status = response.code();
    if (${retryable}) {
      return response;
    }
    long delayMillis = ${JAVA_RETRY_DELAY}(attempt, response.header("Retry-After"));
    response.close(); // frees the connection for the next attempt
    try {
      Thread.sleep(delayMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ${n(T.interruptedIo)}("interrupted while waiting to retry a Partner Center call");
    }
  }
}

/** A Partner Center call made with OkHttp, as ${JAVA_RETRY_HELPER} makes it again. */
@FunctionalInterface
private interface ${JAVA_RETRY_INTERFACES.okhttp} {
  ${response} execute() throws ${io};
}`;
    }
    case 'spring':
      return `/** ${RETRY_DOC} (HTTP 429/503/504), waiting Retry-After, else exponential backoff with jitter; at most 5 calls, then rethrows. */
private static <T> T ${JAVA_RETRY_HELPER}(${n(T.supplier)}<T> call) {
  final int maxAttempts = 5;
  for (int attempt = 1; ; attempt++) {
    try {
      return call.get();
    } catch (${n(T.statusCodeException)} e) {
      int status = e.getStatusCode().value();
      if (${retryable}) {
        throw e;
      }
      String retryAfter = e.getResponseHeaders() == null ? null : e.getResponseHeaders().getFirst("Retry-After");
      try {
        Thread.sleep(${JAVA_RETRY_DELAY}(attempt, retryAfter));
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        throw e;
      }
    }
  }
}`;
  }
}

/** The wait before the next attempt: Retry-After (seconds or an HTTP date), else exponential backoff with jitter. */
export function javaRetryDelay(n: JavaNames): string {
  const T = JAVA_TYPES;
  return `/** Partner Center Advisor: Retry-After (seconds or an HTTP date) when the service sends it, else exponential backoff with jitter. */
private static long ${JAVA_RETRY_DELAY}(int attempt, String retryAfter) {
  if (retryAfter != null && !retryAfter.trim().isEmpty()) {
    try {
      return Math.max(0, Long.parseLong(retryAfter.trim())) * 1000;
    } catch (NumberFormatException notSeconds) {
      try {
        ${n(T.zonedDateTime)} when = ${n(T.zonedDateTime)}.parse(retryAfter.trim(), ${n(T.dateTimeFormatter)}.RFC_1123_DATE_TIME);
        return Math.max(0, ${n(T.duration)}.between(${n(T.zonedDateTime)}.now(), when).toMillis());
      } catch (${n(T.dateTimeParseException)} notADate) {
        // Neither form: back off.
      }
    }
  }
  long backoff = Math.min(30_000L, 1000L << (attempt - 1));
  return backoff / 2 + ${n(T.threadLocalRandom)}.current().nextLong(backoff / 2 + 1);
}`;
}

export function javaRetryCall(expression: string): string {
  return `${JAVA_RETRY_HELPER}(() -> ${expression})`;
}

/**
 * Asks the Activity Log (getAuditRecords().query) which customers had changes of a resource type in the last
 * `days` days, following the continuation token; null when the query fails (the caller then refetches every
 * customer, as before).
 */
export function javaAuditHelper(n: JavaNames): string {
  const T = JAVA_TYPES;
  return `/**
 * Partner Center Advisor: the customers with changes of {@code resourceType} in the last {@code days} days, from the
 * Activity Log; null when the query fails (then every customer is refetched).
 */
private static ${n(T.set)}<String> ${JAVA_AUDIT_HELPER}(${n(T.partner)} partnerOperations, String resourceType, int days) {
  ${n(T.simpleFieldFilter)} filter = new ${n(T.simpleFieldFilter)}(${n(T.auditSearchField)}.RESOURCE_TYPE.toString(), ${n(T.fieldFilterOperation)}.EQUALS, resourceType);
  ${n(T.jodaDateTime)} startDate = ${n(T.jodaDateTime)}.now().minusDays(days);
  ${n(T.set)}<String> changed = new ${n(T.hashSet)}<>();
  try {
    String continuationToken = null;
    do {
      ${n(T.seekCollection)}<${n(T.auditRecord)}> page = partnerOperations.getAuditRecords()
          .query(startDate, null, ${n(T.queryFactory)}.getInstance().buildSimpleQuery(filter, null, continuationToken));
      for (${n(T.auditRecord)} record : page.getItems()) {
        if (record.getCustomerId() != null) {
          changed.add(record.getCustomerId());
        }
      }
      continuationToken = page.getContinuationToken();
    } while (continuationToken != null);
  } catch (${n(T.partnerException)} e) {
    return null;
  }
  return changed;
}`;
}

/**
 * What the Activity Log fix puts before the per-customer loop: the query, then the items that changed (all of them
 * when the query failed). The loop then iterates `changed`.
 */
export function javaAuditFilter(
  n: JavaNames,
  o: { ids: string; changed: string; partner: string; resourceType: string; itemType: string; item: string; collection: string; itemId: string },
): string {
  return `// Partner Center Advisor: one Activity Log query, then refetch only the customers that changed.
${n(JAVA_TYPES.set)}<String> ${o.ids} = ${JAVA_AUDIT_HELPER}(${o.partner}, "${o.resourceType}", 1);
${n(JAVA_TYPES.list)}<${o.itemType}> ${o.changed} = new ${n(JAVA_TYPES.arrayList)}<>();
for (${o.itemType} ${o.item} : ${o.collection}) {
  if (${o.ids} == null || ${o.ids}.contains(${o.itemId})) {
    ${o.changed}.add(${o.item});
  }
}`;
}

/** Snippets cannot add imports: JDK classes are qualified, the SDK's keep their simple names. */
const snippetNames: JavaNames = (q) => (q.startsWith('com.microsoft.store.partnercenter.') ? q.slice(q.lastIndexOf('.') + 1) : q);

/** A member template indented one level, for a snippet's class body. */
const member = (code: string): string =>
  code
    .split('\n')
    .map((l) => (l.trim() ? `  ${l}` : ''))
    .join('\n');

export function javaSnippets(): SnippetSpec[] {
  return [
    {
      prefix: 'pc-retry',
      name: 'Partner Center call with retry (Retry-After)',
      description: 'A Partner Center SDK call wrapped in a retry on throttling (PartnerException), with the helper.',
      body: (p) => `public class ${p(1, 'PartnerCenterJobs')} {
  private final IAggregatePartner partnerOperations;

  public ${p(1, 'PartnerCenterJobs')}(IAggregatePartner partnerOperations) {
    this.partnerOperations = partnerOperations;
  }

  public long countSubscriptions(String customerId) {
    return ${javaRetryCall('partnerOperations.getCustomers().byId(customerId).getSubscriptions().get()')}.getTotalCount();
  }

${member(javaRetryHelper('sdk', snippetNames))}

${member(javaRetryDelay(snippetNames))}
}`,
    },
    {
      prefix: 'pc-activity-log',
      name: 'Partner Center Activity Log query',
      description: 'Which customers had changes of a resource type in the last N days (getAuditRecords().query), instead of polling every customer.',
      body: (p) => `public class ${p(1, 'ChangedCustomers')} {
  public static java.util.Set<String> lastDays(IAggregatePartner partnerOperations) {
    return ${JAVA_AUDIT_HELPER}(partnerOperations, "${p(2, 'Subscription')}", ${p(3, '1')});
  }

${member(javaAuditHelper(snippetNames))}
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
