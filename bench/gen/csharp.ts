/**
 * C#: ASP.NET services, EF Core repositories, xUnit tests. Partner Center through the .NET SDK
 * (`Customers.ById(c)`, indexers, Async, chains split across variables, Polly) and raw REST with HttpClient
 * (interpolated strings, string.Format), as described in shared/partner-center-api.md.
 */
import { Ctx, LanguageGen, LOOK_NOUNS, pascal, PC_HOST, plural } from './types';

export class CSharpGen implements LanguageGen {
  readonly language = 'csharp' as const;

  fileName(ctx: Ctx, test: boolean): string {
    const N = pascal(ctx.noun);
    if (test) return `tests/Contoso.${N}.Tests/${N}ServiceTests.cs`;
    return `src/Contoso.${N}/${ctx.pick(['Services', 'Domain', 'Infrastructure', 'Jobs'])}/${N}${ctx.pick(['Service', 'Repository', 'Sync', 'Handler', 'Client'])}.cs`;
  }

  header(ctx: Ctx, test: boolean): string {
    const N = pascal(ctx.noun);
    const u = ['using System;', 'using System.Collections.Generic;', 'using System.Linq;', 'using System.Threading;', 'using System.Threading.Tasks;'];
    if (test) {
      u.push('using Xunit;', `using Contoso.${N}.Services;`);
      return `${u.join('\n')}\n\nnamespace Contoso.${N}.Tests\n{\n    public class ${N}ServiceTests\n    {\n        private readonly ${N}Service service = new ${N}Service(new InMemory${N}Store(), NullLogger<${N}Service>.Instance);\n\n`;
    }
    u.push('using System.Net.Http;', 'using Microsoft.Extensions.Logging;', 'using Microsoft.EntityFrameworkCore;');
    const fields = [`        private readonly AppDbContext db;`, `        private readonly ILogger<${N}Service> logger;`, `        private readonly HttpClient httpClient;`];
    if (ctx.kind === 'partner') {
      u.push('using Microsoft.Store.PartnerCenter;', 'using Microsoft.Store.PartnerCenter.Models.Agreements;', 'using Polly;');
      fields.unshift(`        private const string BaseUrl = "${PC_HOST}";`);
      fields.push('        private readonly IAggregatePartner partnerOperations;', '        private readonly IAsyncPolicy retryPolicy;');
    } else if (ctx.kind === 'lookalike') {
      u.push('using Stripe;');
      fields.unshift('        private const string StripeApi = "https://api.stripe.com";', '        private const string CrmBase = "https://crm.internal.contoso.com";');
    }
    return `${u.join('\n')}\n\nnamespace Contoso.${N}.Services\n{\n    public sealed class ${N}Service\n    {\n        private const int PageSize = ${ctx.pick([25, 50, 100])};\n${fields.join('\n')}\n\n        public ${N}Service(AppDbContext db, ILogger<${N}Service> logger, HttpClient httpClient)\n        {\n            this.db = db ?? throw new ArgumentNullException(nameof(db));\n            this.logger = logger;\n            this.httpClient = httpClient;\n        }\n\n`;
  }

  footer(): string {
    return '    }\n}\n';
  }

  plain(ctx: Ctx, test: boolean): string {
    const n = ctx.noun;
    const N = pascal(n);
    const O = pascal(ctx.other());
    const F = pascal(ctx.field());
    if (test) {
      return ctx.pick([
        () => `        [Fact]\n        public async Task Get${N}ById_ReturnsNull_WhenMissing()\n        {\n            var result = await service.GetByIdAsync(Guid.NewGuid(), CancellationToken.None);\n            Assert.Null(result);\n        }\n\n`,
        () => `        [Theory]\n        [InlineData("${ctx.status()}")]\n        [InlineData("${ctx.status()}")]\n        public async Task List_FiltersByStatus(string status)\n        {\n            var items = await service.ListAsync(status, 0, CancellationToken.None);\n            Assert.All(items, item => Assert.Equal(status, item.Status));\n        }\n\n`,
        () => `        [Fact]\n        public void Validate_Rejects_Empty${F}()\n        {\n            var ex = Assert.Throws<ArgumentException>(() => service.Validate(new ${N}Dto { ${F} = null }));\n            Assert.Contains("${F}", ex.Message);\n        }\n\n`,
      ])();
    }
    return ctx.pick([
      () => `        public async Task<${N}?> GetByIdAsync(Guid id, CancellationToken cancellationToken)
        {
            var entity = await db.${plural(N)}
                .AsNoTracking()
                .Include(x => x.${plural(O)})
                .FirstOrDefaultAsync(x => x.Id == id && !x.IsDeleted, cancellationToken);
            if (entity is null)
            {
                logger.LogDebug("${N} {Id} not found", id);
            }
            return entity;
        }\n\n`,
      () => `        public async Task<IReadOnlyList<${N}Dto>> ListAsync(string? status, int page, CancellationToken cancellationToken)
        {
            var query = db.${plural(N)}.AsNoTracking();
            if (!string.IsNullOrEmpty(status))
            {
                query = query.Where(x => x.Status == status);
            }
            return await query
                .OrderByDescending(x => x.UpdatedAt)
                .Skip(page * PageSize)
                .Take(PageSize)
                .Select(x => new ${N}Dto { Id = x.Id, Name = x.Name, Status = x.Status, Amount = x.Amount })
                .ToListAsync(cancellationToken);
        }\n\n`,
      () => `        public void Validate(${N}Dto dto)
        {
            if (dto is null) throw new ArgumentNullException(nameof(dto));
            if (string.IsNullOrWhiteSpace(dto.${F === 'Amount' ? 'Name' : F}?.ToString()))
            {
                throw new ArgumentException("${F} is required", nameof(dto));
            }
            if (dto.Amount < 0m)
            {
                throw new ArgumentOutOfRangeException(nameof(dto), $"Amount of ${n} {dto.Id} must not be negative");
            }
        }\n\n`,
      () => `        public static string Describe(${N}Status status) => status switch
        {
            ${N}Status.${pascal(ctx.status())} => "${ctx.status()}",
            ${N}Status.${pascal(ctx.status())} => "waiting for ${ctx.other()}",
            _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
        };\n\n`,
      () => `        public async Task<int> ReconcileAsync(IEnumerable<${N}Dto> batch, CancellationToken cancellationToken)
        {
            var changed = 0;
            foreach (var item in batch)
            {
                try
                {
                    var existing = await db.${plural(N)}.FindAsync(new object[] { item.Id }, cancellationToken);
                    if (existing is null || existing.UpdatedAt < item.UpdatedAt)
                    {
                        db.Update(item.ToEntity());
                        changed++;
                    }
                }
                catch (DbUpdateException ex)
                {
                    logger.LogError(ex, "Reconcile failed for ${n} {Id}", item.Id);
                }
            }
            await db.SaveChangesAsync(cancellationToken);
            return changed;
        }\n\n`,
      () => `        public async Task<${O}Summary?> Fetch${O}SummaryAsync(Guid id, CancellationToken cancellationToken)
        {
            using var response = await httpClient.GetAsync($"api/${plural(n)}/{id}/${plural(O.toLowerCase())}/summary", cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                logger.LogWarning("${O} summary for {Id} failed with {Status}", id, response.StatusCode);
                return null;
            }
            return await response.Content.ReadFromJsonAsync<${O}Summary>(cancellationToken: cancellationToken);
        }\n\n`,
      () => `        public decimal Total(IEnumerable<${N}Dto> items) =>
            items.Where(i => i.Status != "${ctx.status()}").Sum(i => i.Amount * (1m - i.Discount));\n\n`,
    ])();
  }

  lookalike(ctx: Ctx): string {
    const ln = pascal(ctx.pick(LOOK_NOUNS));
    return ctx.pick([
      () => `        public async Task<string> StripeSubscriptionsAsync(string customerId)
        {
            // Stripe has the same path shape as Partner Center.
            var response = await httpClient.GetAsync($"{StripeApi}/v1/customers/{customerId}/subscriptions");
            return await response.Content.ReadAsStringAsync();
        }\n\n`,
      () => `        public async Task<List<Subscription>> StripeListAsync(string customerId)
        {
            var service = new SubscriptionService();
            var subscriptions = await service.ListAsync(new SubscriptionListOptions { Customer = customerId, Limit = 100 });
            logger.LogInformation("Customer {CustomerId} has {Count} subscriptions", customerId, subscriptions.Data.Count);
            return subscriptions.Data;
        }\n\n`,
      () => `        public Task<HttpResponseMessage> CrmOrdersAsync(string customerId) =>
            httpClient.GetAsync(CrmBase + "/v1/customers/" + customerId + "/orders");\n\n`,
      () => `        public void Log${ln}Totals(IReadOnlyCollection<${ln}> items)
        {
            var active = items.Count(x => x.Status == "active");
            logger.LogInformation("{Active} of {Total} ${plural(ln.toLowerCase())} active; customer orders and subscriptions sync at night", active, items.Count);
        }\n\n`,
    ])();
  }

  partner(ctx: Ctx): string {
    switch (ctx.int(0, 11)) {
      case 0:
        return `        public async Task<int> CountSubscriptionsAsync(string customerId)
        {
            ${ctx.call('list-customer-subscriptions', 'sdk')}var subscriptions = await partnerOperations.Customers.ById(customerId).Subscriptions.GetAsync();
            return subscriptions.TotalCount;
        }\n\n`;
      case 1:
        return `        public async Task<List<Order>> AllOrdersAsync(IEnumerable<string> customerIds)
        {
            var all = new List<Order>();
            foreach (var customerId in customerIds)
            {
                ${ctx.call('list-customer-orders', 'sdk', { loop: true })}var orders = await partnerOperations.Customers.ById(customerId).Orders.GetAsync();
                all.AddRange(orders.Items);
            }
            return all;
        }\n\n`;
      case 2:
        return `        public Order GetOrder(string customerId, string orderId)
        {
            ${ctx.call('get-order', 'sdk')}return partnerOperations.Customers[customerId].Orders.ById(orderId).Get();
        }\n\n`;
      case 3:
        return `        public async Task<int> AddOnCountAsync(string customerId, string subscriptionId)
        {
            var subscriptionOperations = partnerOperations.Customers.ById(customerId).Subscriptions.ById(subscriptionId);
            ${ctx.call('list-subscription-addons', 'sdk')}var addOns = await subscriptionOperations.AddOns.GetAsync();
            return addOns.TotalCount;
        }\n\n`;
      case 4:
        return `        public Task<ResourceCollection<Order>> OrdersWithRetryAsync(string customerId)
        {
            ${ctx.call('list-customer-orders', 'sdk', { retry: true })}return retryPolicy.ExecuteAsync(() => partnerOperations.Customers.ById(customerId).Orders.GetAsync());
        }\n\n`;
      case 5:
        return `        public async Task<string> TransfersAsync(string customerId)
        {
            ${ctx.call('list-customer-transfers', 'template')}using var response = await httpClient.GetAsync($"{BaseUrl}/v1/customers/{customerId}/transfers");
            response.EnsureSuccessStatusCode();
            return await response.Content.ReadAsStringAsync();
        }\n\n`;
      case 6:
        return `        public async Task<string> RegistrationStatusAsync(string customerId, string subscriptionId)
        {
            var url = string.Format("{0}/v1/customers/{1}/subscriptions/{2}/registrationstatus", BaseUrl, customerId, subscriptionId);
            ${ctx.call('get-subscription-registration-status', 'format')}var response = await httpClient.GetAsync(url);
            return await response.Content.ReadAsStringAsync();
        }\n\n`;
      case 7:
        return `        public Task UpdateQuantityAsync(string customerId, Subscription subscription)
        {
            subscription.Quantity = Math.Max(1, subscription.Quantity);
            ${ctx.call('update-subscription', 'sdk')}return partnerOperations.Customers.ById(customerId).Subscriptions.ById(subscription.Id).PatchAsync(subscription);
        }\n\n`;
      case 8: {
        const given = ctx.chance(0.5);
        return `        public Agreement NewAgreement(string templateId, Contact contact)
        {
            ${ctx.call('create-customer-agreement', 'sdk', { typeGiven: given })}var agreement = new Agreement
            {
                TemplateId = templateId,
                DateAgreed = DateTime.UtcNow,
                PrimaryContact = contact,${given ? '\n                Type = "MicrosoftCustomerAgreement",' : ''}
            };
            return agreement;
        }\n\n`;
      }
      case 9:
        return `        public Task<ResourceCollection<Subscription>[]> SubscriptionsOfAllAsync(IEnumerable<Customer> customers)
        {
            ${ctx.call('list-customer-subscriptions', 'sdk', { loop: true })}var tasks = customers.Select(c => partnerOperations.Customers.ById(c.Id).Subscriptions.GetAsync());
            return Task.WhenAll(tasks);
        }\n\n`;
      case 10:
        return `        public async Task<int> EntitlementCountAsync(string customerId, string subscriptionId)
        {
            ${ctx.call('list-azure-entitlements', 'sdk')}var entitlements = await partnerOperations.Customers.ById(customerId).Subscriptions.ById(subscriptionId).GetAzurePlanSubscriptionEntitlementsAsync();
            return entitlements.TotalCount;
        }\n\n`;
      default:
        return `        public async Task<ProductUpgradesEligibility> UpgradeStatusAsync(string upgradeId, ProductUpgradesRequest request)
        {
            ${ctx.call('get-product-upgrade-status', 'sdk')}return await partnerOperations.ProductUpgrades.ById(upgradeId).CheckStatusAsync(request);
        }\n\n`;
    }
  }
}
