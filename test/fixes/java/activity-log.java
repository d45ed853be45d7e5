// fix: activity-log
package com.contoso.csp.sync;

import com.microsoft.store.partnercenter.IAggregatePartner;
import com.microsoft.store.partnercenter.models.ResourceCollection;
import com.microsoft.store.partnercenter.models.customers.Customer;
import com.microsoft.store.partnercenter.models.orders.Order;
import com.microsoft.store.partnercenter.models.subscriptions.Subscription;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Nightly job: copies every customer's subscriptions into the billing database. */
public class NightlySubscriptionSync {
    private static final Logger LOG = LoggerFactory.getLogger(NightlySubscriptionSync.class);

    private final IAggregatePartner partnerOperations;
    private final SubscriptionStore store;

    public NightlySubscriptionSync(IAggregatePartner partnerOperations, SubscriptionStore store) {
        this.partnerOperations = partnerOperations;
        this.store = store;
    }

    public void run() {
        List<Customer> customers = store.knownCustomers();
        LOG.info("Syncing {} customers", customers.size());
        for (Customer customer : customers) {
            ResourceCollection<Subscription> subscriptions = partnerOperations.getCustomers().byId(customer.getId()).getSubscriptions().get();
            store.save(customer.getId(), subscriptions.getItems());
        }
    }

    public int pendingOrders(Iterable<String> customerIds) {
        int pending = 0;
        for (String id : customerIds) {
            for (Order order : partnerOperations.getCustomers().byId(id).getOrders().get().getItems()) {
                if ("pending".equals(order.getStatus())) {
                    pending++;
                }
            }
        }
        return pending;
    }
}
