// fix: activity-log
using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
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
            foreach (var customer in customers)
            {
                var url = $"{_baseUrl}/customers/{customer.Id}/subscriptions";
                using var response = await _http.GetAsync(url, cancellationToken);
                response.EnsureSuccessStatusCode();
                Console.WriteLine($"{customer.Name}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
            }
        }

        public async Task<string[]> OrdersAsync(IEnumerable<string> customerIds)
        {
            return await Task.WhenAll(customerIds.Select(id => _http.GetStringAsync(_baseUrl + "/customers/" + id + "/orders")));
        }

        public string[] OrdersBlocking(IEnumerable<string> customerIds)
        {
            // Not async: no Activity Log fix (the REST helper is asynchronous).
            return customerIds.Select(id => _http.GetStringAsync(_baseUrl + "/customers/" + id + "/orders").Result).ToArray();
        }
    }

    public record CustomerRef(string Id, string Name);
}
