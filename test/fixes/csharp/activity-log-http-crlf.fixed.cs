// fix: activity-log
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Contoso.Reporting
{
    public class SubscriptionReport
    {
        private readonly HttpClient _http;
        private readonly string _baseUrl = "https://api.partnercenter.microsoft.com/v1";

        public SubscriptionReport(HttpClient http) => _http = http;

        public async Task CollectAsync(IReadOnlyList<CustomerRef> customers, CancellationToken cancellationToken)
        {
            // Partner Center Advisor: one Activity Log query, then refetch only the customers that changed.
            var changedCustomerIds = await PartnerCenterChangedCustomerIdsAsync(query => _http.GetAsync($"{_baseUrl}/auditrecords?{query}", cancellationToken), "Subscription");
            foreach (var customer in customers.Where(customer => changedCustomerIds.Contains(customer.Id)))
            {
                var url = $"{_baseUrl}/customers/{customer.Id}/subscriptions";
                using var response = await _http.GetAsync(url, cancellationToken);
                response.EnsureSuccessStatusCode();
                Console.WriteLine($"{customer.Name}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
            }
        }

        public async Task<string[]> OrdersAsync(IEnumerable<string> customerIds)
        {
            // Partner Center Advisor: one Activity Log query, then refetch only the customers that changed.
            var changedCustomerIds = await PartnerCenterChangedCustomerIdsAsync(query => _http.GetAsync(_baseUrl + "/auditrecords?" + query), "Order");
            return await Task.WhenAll(customerIds.Where(id => changedCustomerIds.Contains(id)).Select(id => _http.GetStringAsync(_baseUrl + "/customers/" + id + "/orders")));
        }

        public string[] OrdersBlocking(IEnumerable<string> customerIds)
        {
            // Not async: no Activity Log fix (the REST helper is asynchronous).
            return customerIds.Select(id => _http.GetStringAsync(_baseUrl + "/customers/" + id + "/orders").Result).ToArray();
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

    public record CustomerRef(string Id, string Name);
}
