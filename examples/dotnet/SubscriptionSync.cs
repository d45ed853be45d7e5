using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Store.PartnerCenter;
using Microsoft.Store.PartnerCenter.Models.Agreements;
using Microsoft.Store.PartnerCenter.Models.Subscriptions;

namespace Contoso.Billing
{
    /// <summary>Nightly job: copies every customer's subscriptions into the billing database.</summary>
    public sealed class SubscriptionSync
    {
        private readonly IAggregatePartner partnerOperations;
        private readonly IBillingStore store;

        public SubscriptionSync(IAggregatePartner partnerOperations, IBillingStore store)
        {
            this.partnerOperations = partnerOperations;
            this.store = store;
        }

        public async Task RunAsync()
        {
            var customers = await partnerOperations.Customers.GetAsync();
            foreach (var customer in customers.Items)
            {
                // One call per customer, every night: throttled.
                var subscriptions = await partnerOperations.Customers.ById(customer.Id).Subscriptions.GetAsync();
                await store.SaveAsync(customer.Id, subscriptions.Items);
            }
        }

        public async Task<Subscription> GrowAsync(string customerId, string subscriptionId, int seats)
        {
            var subscriptionOperations = partnerOperations.Customers[customerId].Subscriptions[subscriptionId];
            var subscription = await subscriptionOperations.GetAsync();
            subscription.Quantity += seats;
            return await subscriptionOperations.PatchAsync(subscription);
        }

        public async Task<bool> HasSignedMcaAsync(string customerId)
        {
            var agreements = await partnerOperations.Customers.ById(customerId).Agreements.GetAsync();
            return agreements.TotalCount > 0;
        }

        public Task ConfirmMcaAsync(string customerId, string templateId, Contact contact)
        {
            var agreement = new Agreement
            {
                DateAgreed = DateTime.UtcNow,
                PrimaryContact = contact,
                TemplateId = templateId,
            };
            return partnerOperations.Customers.ById(customerId).Agreements.CreateAsync(agreement);
        }
    }

    public interface IBillingStore
    {
        Task SaveAsync(string customerId, IEnumerable<Subscription> subscriptions);
    }
}
