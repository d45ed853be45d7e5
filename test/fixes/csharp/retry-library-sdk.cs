// fix: retry-library
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Store.PartnerCenter;
using Microsoft.Store.PartnerCenter.Models.Orders;
using Microsoft.Store.PartnerCenter.Models.Subscriptions;

namespace Contoso.Billing
{
    public sealed class SubscriptionService
    {
        private readonly IAggregatePartner _partnerOperations;

        public SubscriptionService(IAggregatePartner partnerOperations)
        {
            _partnerOperations = partnerOperations;
        }

        public async Task<int> CountSubscriptionsAsync(string customerId, CancellationToken cancellationToken)
        {
            var subscriptions = await _partnerOperations.Customers.ById(customerId).Subscriptions.GetAsync(cancellationToken).ConfigureAwait(false);
            return subscriptions.TotalCount;
        }

        public Subscription GetSubscription(string customerId, string subscriptionId)
        {
            return _partnerOperations.Customers[customerId].Subscriptions[subscriptionId].Get();
        }

        public Task<Order> GetOrderAsync(string customerId, string orderId)
        {
            var customer = _partnerOperations.Customers.ById(customerId);
            return customer.Orders.ById(orderId).GetAsync();
        }
    }
}
