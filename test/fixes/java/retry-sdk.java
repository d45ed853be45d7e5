// fix: retry
package com.contoso.csp.billing;

import com.microsoft.store.partnercenter.IAggregatePartner;
import com.microsoft.store.partnercenter.models.ResourceCollection;
import com.microsoft.store.partnercenter.models.orders.Order;
import com.microsoft.store.partnercenter.models.subscriptions.Subscription;
import com.microsoft.store.partnercenter.models.subscriptions.SubscriptionProvisioningStatus;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads and updates a customer's subscriptions through the Partner Center SDK. */
public class SubscriptionService {
    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionService.class);

    private final IAggregatePartner partnerOperations;

    public SubscriptionService(IAggregatePartner partnerOperations) {
        this.partnerOperations = partnerOperations;
    }

    public List<String> activeOfferIds(String customerId) {
        ResourceCollection<Subscription> subscriptions = partnerOperations.getCustomers().byId(customerId).getSubscriptions().get();
        return subscriptions.getItems().stream()
            .filter(s -> "active".equalsIgnoreCase(s.getStatus().toString()))
            .map(Subscription::getOfferId)
            .collect(Collectors.toList());
    }

    public Subscription setQuantity(String customerId, String subscriptionId, int quantity) {
        Subscription subscription = partnerOperations.getCustomers().byId(customerId).getSubscriptions().byId(subscriptionId).get();
        subscription.setQuantity(quantity);
        LOG.info("Updating {} to {} seats", subscriptionId, quantity);
        return this.partnerOperations.getCustomers()
            .byId(customerId)
            .getSubscriptions()
            .byId(subscriptionId)
            .patch(subscription);
    }

    public long orderCount(String customerId) {
        return partnerOperations.getCustomers().byId(customerId).getOrders().get().getTotalCount();
    }
}
