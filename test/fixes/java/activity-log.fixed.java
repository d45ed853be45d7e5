// fix: activity-log
package com.contoso.csp.sync;

import com.microsoft.store.partnercenter.IAggregatePartner;
import com.microsoft.store.partnercenter.IPartner;
import com.microsoft.store.partnercenter.exception.PartnerException;
import com.microsoft.store.partnercenter.models.ResourceCollection;
import com.microsoft.store.partnercenter.models.SeekBasedResourceCollection;
import com.microsoft.store.partnercenter.models.auditing.AuditRecord;
import com.microsoft.store.partnercenter.models.auditing.AuditRecordSearchField;
import com.microsoft.store.partnercenter.models.customers.Customer;
import com.microsoft.store.partnercenter.models.orders.Order;
import com.microsoft.store.partnercenter.models.query.QueryFactory;
import com.microsoft.store.partnercenter.models.query.filters.FieldFilterOperation;
import com.microsoft.store.partnercenter.models.query.filters.SimpleFieldFilter;
import com.microsoft.store.partnercenter.models.subscriptions.Subscription;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.joda.time.DateTime;
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
        // Partner Center Advisor: one Activity Log query, then refetch only the customers that changed.
        Set<String> changedCustomerIds = partnerCenterChangedCustomerIds(partnerOperations, "Subscription", 1);
        List<Customer> changedCustomers = new ArrayList<>();
        for (Customer customer : customers) {
            if (changedCustomerIds == null || changedCustomerIds.contains(customer.getId())) {
                changedCustomers.add(customer);
            }
        }
        for (Customer customer : changedCustomers) {
            ResourceCollection<Subscription> subscriptions = partnerOperations.getCustomers().byId(customer.getId()).getSubscriptions().get();
            store.save(customer.getId(), subscriptions.getItems());
        }
    }

    public int pendingOrders(Iterable<String> customerIds) {
        int pending = 0;
        // Partner Center Advisor: one Activity Log query, then refetch only the customers that changed.
        Set<String> customerIdsWithChanges = partnerCenterChangedCustomerIds(partnerOperations, "Order", 1);
        List<String> changedCustomerIds = new ArrayList<>();
        for (String id : customerIds) {
            if (customerIdsWithChanges == null || customerIdsWithChanges.contains(id)) {
                changedCustomerIds.add(id);
            }
        }
        for (String id : changedCustomerIds) {
            for (Order order : partnerOperations.getCustomers().byId(id).getOrders().get().getItems()) {
                if ("pending".equals(order.getStatus())) {
                    pending++;
                }
            }
        }
        return pending;
    }

    /**
     * Partner Center Advisor: the customers with changes of {@code resourceType} in the last {@code days} days, from the
     * Activity Log; null when the query fails (then every customer is refetched).
     */
    private static Set<String> partnerCenterChangedCustomerIds(IPartner partnerOperations, String resourceType, int days) {
        SimpleFieldFilter filter = new SimpleFieldFilter(AuditRecordSearchField.RESOURCE_TYPE.toString(), FieldFilterOperation.EQUALS, resourceType);
        DateTime startDate = DateTime.now().minusDays(days);
        Set<String> changed = new HashSet<>();
        try {
            String continuationToken = null;
            do {
                SeekBasedResourceCollection<AuditRecord> page = partnerOperations.getAuditRecords()
                        .query(startDate, null, QueryFactory.getInstance().buildSimpleQuery(filter, null, continuationToken));
                for (AuditRecord record : page.getItems()) {
                    if (record.getCustomerId() != null) {
                        changed.add(record.getCustomerId());
                    }
                }
                continuationToken = page.getContinuationToken();
            } while (continuationToken != null);
        } catch (PartnerException e) {
            return null;
        }
        return changed;
    }
}
