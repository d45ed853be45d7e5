// fix: activity-log
using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Store.PartnerCenter;
using Microsoft.Store.PartnerCenter.Exceptions;
using Microsoft.Store.PartnerCenter.Models.Auditing;
using Microsoft.Store.PartnerCenter.Models.Query;

namespace Contoso.Csp.Jobs
{
    internal sealed class CustomerMonitor
    {
        private readonly IAggregatePartner _partner;

        public CustomerMonitor(IAggregatePartner partner) => _partner = partner;

        public async Task CheckSubscriptionsAsync(IReadOnlyCollection<string> customerIds, CancellationToken cancellationToken)
        {
            // Partner Center Advisor: one Activity Log query, then refetch only the customers that changed.
            var changedCustomerIds = await PartnerCenterChangedCustomerIdsAsync(_partner, "Subscription");
            await Parallel.ForEachAsync(customerIds.Where(customerId => changedCustomerIds.Contains(customerId)), cancellationToken, async (customerId, token) =>
            {
                var subscriptions = await WithPartnerCenterRetryAsync(() => _partner.Customers[customerId].Subscriptions.GetAsync(token));
                Console.WriteLine($"{customerId}: {subscriptions.TotalCount} subscriptions");
            });
        }

        public async Task<int> CountOrdersAsync(IEnumerable<string> customerIds)
        {
            var total = 0;
            // Partner Center Advisor: one Activity Log query, then refetch only the customers that changed.
            var changedCustomerIds = await PartnerCenterChangedCustomerIdsAsync(_partner, "Order");
            foreach (var id in customerIds.Where(id => changedCustomerIds.Contains(id)))
            {
                var orders = await WithPartnerCenterRetryAsync(() => _partner.Customers.ById(id).Orders.GetAsync()).ConfigureAwait(false);
                total += orders.TotalCount;
            }
            return total;
        }

        /// <summary>Partner Center Advisor: retries a throttled Partner Center call (HTTP 429/503/504), waiting Retry-After, else exponential backoff with jitter.</summary>
        private static async Task<T> WithPartnerCenterRetryAsync<T>(Func<Task<T>> call, int maxAttempts = 5)
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

        private static TimeSpan PartnerCenterRetryDelay(int attempt, TimeSpan? retryAfter)
        {
            if (retryAfter is { } wait && wait > TimeSpan.Zero) return wait;
            var seconds = Math.Min(30, Math.Pow(2, attempt - 1)) * (0.5 + Random.Shared.NextDouble() / 2);
            return TimeSpan.FromSeconds(seconds);
        }

        /// <summary>Partner Center Advisor: the customers with changes of <paramref name="resourceType"/> in the last <paramref name="days"/> days, from the Activity Log (audit records).</summary>
        private static async Task<HashSet<string>> PartnerCenterChangedCustomerIdsAsync(IPartner partner, string resourceType, int days = 1)
        {
            var filter = new SimpleFieldFilter(AuditRecordSearchField.ResourceType.ToString(), FieldFilterOperation.Equals, resourceType);
            var firstPage = await WithPartnerCenterRetryAsync(() => partner.AuditRecords.QueryAsync(DateTime.UtcNow.AddDays(-days), DateTime.UtcNow, QueryFactory.Instance.BuildSimpleQuery(filter))).ConfigureAwait(false);
            var changed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var pages = partner.Enumerators.AuditRecords.Create(firstPage);
            while (pages.HasValue)
            {
                foreach (var record in pages.Current.Items)
                {
                    if (!string.IsNullOrEmpty(record.CustomerId)) changed.Add(record.CustomerId);
                }
                await pages.NextAsync().ConfigureAwait(false);
            }
            return changed;
        }
    }
}
