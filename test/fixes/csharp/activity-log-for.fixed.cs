// fix: activity-log
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.Store.PartnerCenter;
using Microsoft.Store.PartnerCenter.Models.Auditing;
using Microsoft.Store.PartnerCenter.Models.Customers;
using Microsoft.Store.PartnerCenter.Models.Query;

namespace Contoso.Sync
{
    public class IndexedLoops
    {
        private const string BaseUrl = "https://api.partnercenter.microsoft.com/v1";
        private readonly IAggregatePartner partner;
        private readonly HttpClient http;

        public IndexedLoops(IAggregatePartner partner, HttpClient http)
        {
            this.partner = partner;
            this.http = http;
        }

        public void PrintSubscriptions(Customer[] customers)
        {
            // Partner Center Advisor: one Activity Log query, then refetch only the customers that changed.
            var changedCustomerIds = PartnerCenterChangedCustomerIds(partner, "Subscription");
            var changedCustomers = customers.Where(customer => changedCustomerIds.Contains(customer.Id)).ToArray();
            for (int i = 0; i < changedCustomers.Length; i++)
            {
                var customer = changedCustomers[i];
                var subscriptions = partner.Customers.ById(customer.Id).Subscriptions.Get();
                Console.WriteLine($"{i + 1}/{changedCustomers.Length} {customer.CompanyProfile.CompanyName}: {subscriptions.TotalCount}");
            }
        }

        public async Task ForLoopAsync(IReadOnlyList<string> customerIds)
        {
            // Partner Center Advisor: one Activity Log query, then refetch only the customers that changed.
            var changedIdSet = await PartnerCenterChangedCustomerIdsAsync(query => http.GetAsync($"{BaseUrl}/auditrecords?{query}"), "Order");
            var changedCustomerIds = customerIds.Where(customerId => changedIdSet.Contains(customerId)).ToList();
            for (var i = 0; i < changedCustomerIds.Count; i++)
            {
                var orders = await http.GetAsync($"{BaseUrl}/customers/{changedCustomerIds[i]}/orders");
                Console.WriteLine($"{changedCustomerIds[i]}: {orders.StatusCode}");
            }
        }

        /// <summary>Partner Center Advisor: the customers with changes of <paramref name="resourceType"/> in the last <paramref name="days"/> days, from the Activity Log (audit records).</summary>
        private static HashSet<string> PartnerCenterChangedCustomerIds(IPartner partner, string resourceType, int days = 1)
        {
            var filter = new SimpleFieldFilter(AuditRecordSearchField.ResourceType.ToString(), FieldFilterOperation.Equals, resourceType);
            var firstPage = partner.AuditRecords.Query(DateTime.UtcNow.AddDays(-days), DateTime.UtcNow, QueryFactory.Instance.BuildSimpleQuery(filter));
            var changed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var pages = partner.Enumerators.AuditRecords.Create(firstPage);
            while (pages.HasValue)
            {
                foreach (var record in pages.Current.Items)
                {
                    if (!string.IsNullOrEmpty(record.CustomerId)) changed.Add(record.CustomerId);
                }
                pages.Next();
            }
            return changed;
        }

        /// <summary>Partner Center Advisor: the customers with changes of <paramref name="resourceType"/> in the last <paramref name="days"/> days, from the Activity Log (GET /v1/auditrecords).</summary>
        private static async Task<HashSet<string>> PartnerCenterChangedCustomerIdsAsync(Func<string, Task<HttpResponseMessage>> getAuditRecords, string resourceType, int days = 1)
        {
            var startDate = DateTime.UtcNow.AddDays(-days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var filter = JsonSerializer.Serialize(new { Field = "ResourceType", Value = resourceType, Operator = "equals" });
            var query = $"startDate={startDate}&size=500&filter={Uri.EscapeDataString(filter)}";
            using var response = await getAuditRecords(query).ConfigureAwait(false);
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
        }
    }
}
