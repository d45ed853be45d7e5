// fix: activity-log
using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading.Tasks;
using Microsoft.Store.PartnerCenter;
using Microsoft.Store.PartnerCenter.Models.Customers;

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
            for (int i = 0; i < customers.Length; i++)
            {
                var customer = customers[i];
                var subscriptions = partner.Customers.ById(customer.Id).Subscriptions.Get();
                Console.WriteLine($"{i + 1}/{customers.Length} {customer.CompanyProfile.CompanyName}: {subscriptions.TotalCount}");
            }
        }

        public async Task ForLoopAsync(IReadOnlyList<string> customerIds)
        {
            for (var i = 0; i < customerIds.Count; i++)
            {
                var orders = await http.GetAsync($"{BaseUrl}/customers/{customerIds[i]}/orders");
                Console.WriteLine($"{customerIds[i]}: {orders.StatusCode}");
            }
        }
    }
}
