// fix: activity-log
package com.contoso.csp.orders;

import com.microsoft.store.partnercenter.IPartner;
import com.microsoft.store.partnercenter.models.ResourceCollection;
import com.microsoft.store.partnercenter.models.orders.Order;
import java.util.*;

/** Refreshes the order cache, one customer at a time (tabs). */
public class OrderCacheRefresher {
	private final IPartner partner;
	private final Map<String, List<Order>> cache = new HashMap<>();

	public OrderCacheRefresher(IPartner partner) {
		this.partner = partner;
	}

	public void refresh(String[] customerIds) {
		for (final String customerId : customerIds) {
			ResourceCollection<Order> orders = this.partner.getCustomers().byId(customerId).getOrders().get();
			List<Order> items = new ArrayList<>();
			orders.getItems().forEach(items::add);
			cache.put(customerId, items);
		}
	}
}
