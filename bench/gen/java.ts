/**
 * Java: Spring services, JPA repositories, JUnit 5 tests. Partner Center through the Java SDK
 * (`getCustomers().byId(c)…get()`, Spring Retry's @Retryable) and raw REST with java.net.http and OkHttp
 * (concatenation, String.format), as described in shared/partner-center-api.md.
 */
import { camel, Ctx, LanguageGen, LOOK_NOUNS, pascal, PC_HOST, plural } from './types';

export class JavaGen implements LanguageGen {
  readonly language = 'java' as const;

  fileName(ctx: Ctx, test: boolean): string {
    const N = pascal(ctx.noun);
    if (test) return `src/test/java/com/contoso/${ctx.noun}/${N}ServiceTest.java`;
    return `src/main/java/com/contoso/${ctx.noun}/${N}${ctx.pick(['Service', 'Client', 'Sync', 'Repository', 'Job'])}.java`;
  }

  header(ctx: Ctx, test: boolean): string {
    const n = ctx.noun;
    const N = pascal(n);
    if (test) {
      return `package com.contoso.${n};\n\nimport static org.junit.jupiter.api.Assertions.*;\n\nimport java.util.List;\nimport java.util.UUID;\nimport org.junit.jupiter.api.BeforeEach;\nimport org.junit.jupiter.api.Test;\n\nclass ${N}ServiceTest {\n    private ${N}Service service;\n\n    @BeforeEach\n    void setUp() {\n        service = new ${N}Service(new InMemory${N}Repository());\n    }\n\n`;
    }
    const imports = ['java.io.IOException', 'java.net.URI', 'java.net.http.HttpClient', 'java.net.http.HttpRequest', 'java.net.http.HttpResponse', 'java.time.Instant', 'java.util.ArrayList', 'java.util.List', 'java.util.Optional', 'java.util.stream.Collectors', 'org.slf4j.Logger', 'org.slf4j.LoggerFactory', 'org.springframework.stereotype.Service'];
    const fields = [`    private static final Logger LOG = LoggerFactory.getLogger(${N}Service.class);`, `    private static final int PAGE_SIZE = ${ctx.pick([25, 50, 100])};`, `    private final ${N}Repository repository;`, `    private final HttpClient http = HttpClient.newHttpClient();`];
    if (ctx.kind === 'partner') {
      imports.push('com.microsoft.store.partnercenter.IAggregatePartner', 'com.microsoft.store.partnercenter.models.customers.Customer', 'com.microsoft.store.partnercenter.models.subscriptions.Subscription', 'okhttp3.OkHttpClient', 'okhttp3.Request', 'org.springframework.retry.annotation.Retryable');
      fields.unshift(`    private static final String BASE_URL = "${PC_HOST}";`);
      fields.push('    private final IAggregatePartner partnerOperations;', '    private final OkHttpClient okHttp = new OkHttpClient();');
    } else if (ctx.kind === 'lookalike') {
      imports.push('com.stripe.model.Subscription', 'com.stripe.param.SubscriptionListParams');
      fields.unshift('    private static final String STRIPE_API = "https://api.stripe.com";', '    private static final String CRM_BASE = "https://crm.internal.contoso.com";');
    }
    return `package com.contoso.${n};\n\n${imports.map((i) => `import ${i};`).join('\n')}\n\n@Service\npublic class ${N}Service {\n${fields.join('\n')}\n\n    public ${N}Service(${N}Repository repository) {\n        this.repository = repository;\n    }\n\n`;
  }

  footer(): string {
    return '}\n';
  }

  plain(ctx: Ctx, test: boolean): string {
    const n = ctx.noun;
    const N = pascal(n);
    const o = ctx.other();
    const F = pascal(ctx.field());
    if (test) {
      return ctx.pick([
        () => `    @Test\n    void findByIdReturnsEmptyWhenMissing() {\n        assertTrue(service.findById(UUID.randomUUID()).isEmpty());\n    }\n\n`,
        () => `    @Test\n    void listFiltersByStatus() {\n        List<${N}> items = service.list("${ctx.status()}", 0);\n        items.forEach(item -> assertEquals("${ctx.status()}", item.getStatus()));\n    }\n\n`,
        () => `    @Test\n    void validateRejectsEmpty${F}() {\n        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> service.validate(new ${N}()));\n        assertTrue(ex.getMessage().contains("${F.toLowerCase()}"));\n    }\n\n`,
      ])();
    }
    return ctx.pick([
      () => `    public Optional<${N}> findById(java.util.UUID id) {
        Optional<${N}> found = repository.findById(id).filter(x -> !x.isDeleted());
        if (found.isEmpty()) {
            LOG.debug("${n} {} not found", id);
        }
        return found;
    }\n\n`,
      () => `    public List<${N}> list(String status, int page) {
        return repository.findAll().stream()
                .filter(x -> status == null || status.equals(x.getStatus()))
                .sorted((a, b) -> b.getUpdatedAt().compareTo(a.getUpdatedAt()))
                .skip((long) page * PAGE_SIZE)
                .limit(PAGE_SIZE)
                .collect(Collectors.toList());
    }\n\n`,
      () => `    public void validate(${N} item) {
        if (item.get${F}() == null) {
            throw new IllegalArgumentException("${F.toLowerCase()} is required");
        }
        if (item.getAmount() != null && item.getAmount().signum() < 0) {
            throw new IllegalArgumentException("amount of ${n} " + item.getId() + " must not be negative");
        }
    }\n\n`,
      () => `    public int reconcile(List<${N}> batch) {
        int changed = 0;
        for (${N} item : batch) {
            try {
                Optional<${N}> existing = repository.findById(item.getId());
                if (existing.isEmpty() || existing.get().getUpdatedAt().isBefore(item.getUpdatedAt())) {
                    repository.save(item);
                    changed++;
                }
            } catch (RuntimeException e) {
                LOG.error("reconcile failed for ${n} {}", item.getId(), e);
            }
        }
        return changed;
    }\n\n`,
      () => `    public String fetch${pascal(o)}Summary(String id) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://${o}-service:8080/api/${plural(n)}/" + id + "/${plural(o)}"))
                .header("Accept", "application/json")
                .GET()
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            LOG.warn("${o} summary for {} failed: {}", id, response.statusCode());
        }
        return response.body();
    }\n\n`,
      () => `    public String describe(${N}Status status) {
        return switch (status) {
            case ${ctx.status().toUpperCase()} -> "${ctx.status()}";
            case ${ctx.status().toUpperCase()} -> "waiting for ${o}";
            default -> status.name().toLowerCase();
        };
    }\n\n`,
      () => `    public java.math.BigDecimal total(List<${N}> items) {
        return items.stream()
                .filter(i -> !"${ctx.status()}".equals(i.getStatus()))
                .map(${N}::getAmount)
                .reduce(java.math.BigDecimal.ZERO, java.math.BigDecimal::add);
    }\n\n`,
    ])();
  }

  lookalike(ctx: Ctx): string {
    const ln = ctx.pick(LOOK_NOUNS);
    return ctx.pick([
      () => `    public String stripeSubscriptions(String customerId) throws IOException, InterruptedException {
        // Stripe has the same path shape as Partner Center.
        HttpRequest request = HttpRequest.newBuilder(URI.create(STRIPE_API + "/v1/customers/" + customerId + "/subscriptions")).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }\n\n`,
      () => `    public List<Subscription> stripeList(String customerId) throws Exception {
        SubscriptionListParams params = SubscriptionListParams.builder().setCustomer(customerId).setLimit(100L).build();
        List<Subscription> subscriptions = Subscription.list(params).getData();
        LOG.info("customer {} has {} subscriptions", customerId, subscriptions.size());
        return subscriptions;
    }\n\n`,
      () => `    public String crmOrders(String customerId) throws IOException, InterruptedException {
        String url = String.format("%s/v1/customers/%s/orders", CRM_BASE, customerId);
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
    }\n\n`,
      () => `    public void log${pascal(ln)}Totals(List<${pascal(ln)}> items) {
        long active = items.stream().filter(x -> "active".equals(x.getStatus())).count();
        LOG.info("{} of {} ${plural(ln)} active; customer orders and subscriptions sync at night", active, items.size());
    }\n\n`,
    ])();
  }

  partner(ctx: Ctx): string {
    const v = camel(ctx.noun, 'count');
    switch (ctx.int(0, 10)) {
      case 0:
        return `    public int countSubscriptions(String customerId) {
        ${ctx.call('list-customer-subscriptions', 'sdk')}var subscriptions = partnerOperations.getCustomers().byId(customerId).getSubscriptions().get();
        return subscriptions.getTotalCount();
    }\n\n`;
      case 1:
        return `    public List<Object> allOrders(List<Customer> customers) {
        List<Object> all = new ArrayList<>();
        for (Customer customer : customers) {
            ${ctx.call('list-customer-orders', 'sdk', { loop: true })}var orders = partnerOperations.getCustomers().byId(customer.getId()).getOrders().get();
            all.addAll(orders.getItems());
        }
        return all;
    }\n\n`;
      case 2:
        return `    public Object order(String customerId, String orderId) {
        ${ctx.call('get-order', 'sdk')}return partnerOperations.getCustomers().byId(customerId).getOrders().byId(orderId).get();
    }\n\n`;
      case 3:
        return `    @Retryable(maxAttempts = 5)
    public Object addOns(String customerId, String subscriptionId) {
        ${ctx.call('list-subscription-addons', 'sdk', { retry: true })}return partnerOperations.getCustomers().byId(customerId).getSubscriptions().byId(subscriptionId).getAddOns().get();
    }\n\n`;
      case 4:
        return `    public String transfers(String customerId) throws IOException, InterruptedException {
        ${ctx.call('list-customer-transfers', 'concat')}HttpRequest request = HttpRequest.newBuilder(URI.create(BASE_URL + "/v1/customers/" + customerId + "/transfers")).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }\n\n`;
      case 5:
        return `    public String entitlements(String customerId, String subscriptionId) throws IOException {
        String url = String.format("%s/v1/customers/%s/subscriptions/%s/azureEntitlements", BASE_URL, customerId, subscriptionId);
        Request request = new Request.Builder().url(url).get().build();
        ${ctx.call('list-azure-entitlements', 'format')}try (var response = okHttp.newCall(request).execute()) {
            return response.body().string();
        }
    }\n\n`;
      case 6:
        return `    public Subscription updateQuantity(String customerId, Subscription subscription) {
        subscription.setQuantity(Math.max(1, subscription.getQuantity()));
        ${ctx.call('update-subscription', 'sdk')}return partnerOperations.getCustomers().byId(customerId).getSubscriptions().byId(subscription.getId()).patch(subscription);
    }\n\n`;
      case 7:
        return `    public Object agreements(String customerId) {
        ${ctx.call('get-customer-agreements', 'sdk')}return partnerOperations.getCustomers().byId(customerId).getAgreements().get();
    }\n\n`;
      case 8:
        return `    public long ${v}(List<Customer> customers) {
        return customers.stream()
                ${ctx.call('list-customer-subscriptions', 'sdk', { loop: true })}.map(c -> partnerOperations.getCustomers().byId(c.getId()).getSubscriptions().get())
                .mapToLong(page -> page.getTotalCount())
                .sum();
    }\n\n`;
      case 9:
        return `    public Object conversions(String customerId, String subscriptionId) {
        ${ctx.call('list-trial-conversions', 'sdk')}return partnerOperations.getCustomers().byId(customerId).getSubscriptions().byId(subscriptionId).getConversions().get();
    }\n\n`;
      default:
        return `    public Object provisioning(String customerId, String orderId) {
        ${ctx.call('get-order-provisioning-status', 'sdk')}return partnerOperations.getCustomers().byId(customerId).getOrders().byId(orderId).getProvisioningStatus().get();
    }\n\n`;
    }
  }
}
