// fix: activity-log
using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Microsoft.Store.PartnerCenter;
using Microsoft.Store.PartnerCenter.Models.Customers;

namespace Contoso.Billing
{
    /// <summary>Nightly inventory of what every CSP customer bought.</summary>
    public sealed class NightlyInventory
    {
        private readonly IAggregatePartner partnerOperations;

        public NightlyInventory(IAggregatePartner partnerOperations)
        {
            this.partnerOperations = partnerOperations;
        }

        public async Task RefreshSubscriptionsAsync(IEnumerable<Customer> customers)
        {
            foreach (var c in customers)
            {
                var subscriptions = await partnerOperations.Customers.ById(c.Id).Subscriptions.GetAsync();
                Console.WriteLine($"{c.CompanyProfile.CompanyName}: {subscriptions.TotalCount}");
            }
        }

        public void RefreshOrders(IList<Customer> customers)
        {
            // The customer operations are kept in a local, as the SDK samples do.
            foreach (Customer customer in customers)
            {
                var customerOperations = partnerOperations.Customers.ById(customer.Id);
                var orders = customerOperations.Orders.Get();
                Console.WriteLine($"{customer.Id}: {orders.TotalCount} orders");
            }
        }
    }
}
