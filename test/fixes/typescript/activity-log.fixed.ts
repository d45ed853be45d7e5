// fix: activity-log
import axios from 'axios';

/**
 * Partner Center Advisor: customers with changes of `resourceType` in the last `days` days, from the Activity Log
 * (GET /v1/auditrecords); undefined when the answer has more than one page (then refetch every customer).
 */
async function partnerCenterChangedCustomerIds(
  getAuditRecords: (query: string) => Promise<any>,
  resourceType: string,
  days = 1,
): Promise<Set<string> | undefined> {
  const startDate = new Date(Date.now() - days * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
  const filter = JSON.stringify({ Field: 'ResourceType', Value: resourceType, Operator: 'equals' });
  const page = await getAuditRecords(`startDate=${startDate}&size=500&filter=${encodeURIComponent(filter)}`);
  if (page?.continuationToken) return undefined;
  const records: { customerId?: string }[] = page?.items ?? [];
  return new Set(records.map((record) => record.customerId).filter((id): id is string => !!id));
}

const pc = axios.create({ baseURL: 'https://api.partnercenter.microsoft.com/v1/' });

interface Customer { id: string; name: string }

export async function syncSubscriptions(customers: Customer[]) {
  // Partner Center Advisor: one Activity Log query, then refetch only the customers that changed.
  const changedCustomerIds = await partnerCenterChangedCustomerIds((query) => pc.get(`auditrecords?${query}`).then((r) => r.data), 'Subscription');
  for (const customer of customers.filter((customer) => !changedCustomerIds || changedCustomerIds.has(customer.id))) {
    const { data } = await pc.get(`customers/${customer.id}/subscriptions`);
    console.log(customer.name, data.totalCount);
  }
}

export async function allOrders(customerIds: string[]) {
  // Partner Center Advisor: one Activity Log query, then refetch only the customers that changed.
  const changedCustomerIds = await partnerCenterChangedCustomerIds((query) => fetch(`https://api.partnercenter.microsoft.com/v1/auditrecords?${query}`).then((r) => r.json()), 'Order');
  return Promise.all(customerIds.filter((id) => !changedCustomerIds || changedCustomerIds.has(id)).map((id) => fetch(`https://api.partnercenter.microsoft.com/v1/customers/${id}/orders`)));
}
