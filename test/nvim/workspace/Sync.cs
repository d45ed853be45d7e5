using Microsoft.Store.PartnerCenter;

public class Sync
{
    public void Run(IAggregatePartner partner, string customerId)
    {
        var subscriptions = partner.Customers.ById(customerId).Subscriptions.Get();
    }
}
