// fix: activity-log
package com.contoso.csp.orders;

import com.microsoft.store.partnercenter.IPartner;
import com.microsoft.store.partnercenter.exception.PartnerException;
import com.microsoft.store.partnercenter.models.ResourceCollection;
import com.microsoft.store.partnercenter.models.SeekBasedResourceCollection;
import com.microsoft.store.partnercenter.models.auditing.AuditRecord;
import com.microsoft.store.partnercenter.models.auditing.AuditRecordSearchField;
import com.microsoft.store.partnercenter.models.orders.Order;
import com.microsoft.store.partnercenter.models.query.QueryFactory;
import com.microsoft.store.partnercenter.models.query.filters.FieldFilterOperation;
import com.microsoft.store.partnercenter.models.query.filters.SimpleFieldFilter;
import java.util.*;
import org.joda.time.DateTime;

/** Refreshes the order cache, one customer at a time (tabs). */
public class OrderCacheRefresher {
	private final IPartner partner;
	private final Map<String, List<Order>> cache = new HashMap<>();

	public OrderCacheRefresher(IPartner partner) {
		this.partner = partner;
	}

	public void refresh(String[] customerIds) {
		// Partner Center Advisor: one Activity Log query, then refetch only the customers that changed.
		Set<String> customerIdsWithChanges = partnerCenterChangedCustomerIds(this.partner, "Order", 1);
		List<String> changedCustomerIds = new ArrayList<>();
		for (String customerId : customerIds) {
			if (customerIdsWithChanges == null || customerIdsWithChanges.contains(customerId)) {
				changedCustomerIds.add(customerId);
			}
		}
		for (final String customerId : changedCustomerIds) {
			ResourceCollection<Order> orders = this.partner.getCustomers().byId(customerId).getOrders().get();
			List<Order> items = new ArrayList<>();
			orders.getItems().forEach(items::add);
			cache.put(customerId, items);
		}
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
