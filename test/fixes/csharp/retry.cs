// fix: retry
using System.Collections.Generic;
using System.Net.Http;
using System.Threading.Tasks;
using Microsoft.Store.PartnerCenter;
using Microsoft.Store.PartnerCenter.Models.Subscriptions;

namespace Contoso.Billing
{
    public sealed class CustomerInventory
    {
        private const string BaseUrl = "https://api.partnercenter.microsoft.com/v1";
        private readonly IAggregatePartner _partnerOperations;
        private readonly HttpClient _http;

        public CustomerInventory(IAggregatePartner partnerOperations, HttpClient http)
        {
            _partnerOperations = partnerOperations;
            _http = http;
        }

        public async Task<int> CountSubscriptionsAsync(string customerId)
        {
            var subscriptions = await _partnerOperations.Customers.ById(customerId).Subscriptions.GetAsync().ConfigureAwait(false);
            return subscriptions.TotalCount;
        }

        public Subscription GetSubscription(string customerId, string subscriptionId)
        {
            return _partnerOperations.Customers[customerId].Subscriptions[subscriptionId].Get();
        }

        public Task<HttpResponseMessage> TransfersAsync(string customerId)
        {
            return _http.GetAsync($"{BaseUrl}/customers/{customerId}/transfers");
        }
    }
}
