// fix: activity-log
using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Store.PartnerCenter;
using Microsoft.Store.PartnerCenter.Models.Auditing;
using Microsoft.Store.PartnerCenter.Models.Customers;
using Microsoft.Store.PartnerCenter.Models.Query;

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
            // Partner Center Advisor: one Activity Log query, then refetch only the customers that changed.
            var changedCustomerIds = await PartnerCenterChangedCustomerIdsAsync(partnerOperations, "Subscription");
            foreach (var c in customers.Where(c => changedCustomerIds.Contains(c.Id)))
            {
                var subscriptions = await partnerOperations.Customers.ById(c.Id).Subscriptions.GetAsync();
                Console.WriteLine($"{c.CompanyProfile.CompanyName}: {subscriptions.TotalCount}");
            }
        }

        public void RefreshOrders(IList<Customer> customers)
        {
            // Partner Center Advisor: one Activity Log query, then refetch only the customers that changed.
            var changedCustomerIds = PartnerCenterChangedCustomerIds(partnerOperations, "Order");
            // The customer operations are kept in a local, as the SDK samples do.
            foreach (Customer customer in customers.Where(customer => changedCustomerIds.Contains(customer.Id)))
            {
                var customerOperations = partnerOperations.Customers.ById(customer.Id);
                var orders = customerOperations.Orders.Get();
                Console.WriteLine($"{customer.Id}: {orders.TotalCount} orders");
            }
        }

        /// <summary>Partner Center Advisor: the customers with changes of <paramref name="resourceType"/> in the last <paramref name="days"/> days, from the Activity Log (audit records).</summary>
        private static async Task<HashSet<string>> PartnerCenterChangedCustomerIdsAsync(IPartner partner, string resourceType, int days = 1)
        {
            var filter = new SimpleFieldFilter(AuditRecordSearchField.ResourceType.ToString(), FieldFilterOperation.Equals, resourceType);
            var firstPage = await partner.AuditRecords.QueryAsync(DateTime.UtcNow.AddDays(-days), DateTime.UtcNow, QueryFactory.Instance.BuildSimpleQuery(filter)).ConfigureAwait(false);
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
    }
}
