// fix: activity-log
import axios from 'axios';

const pc = axios.create({ baseURL: 'https://api.partnercenter.microsoft.com/v1/' });

interface Customer { id: string; name: string }

export async function syncSubscriptions(customers: Customer[]) {
  for (const customer of customers) {
    const { data } = await pc.get(`customers/${customer.id}/subscriptions`);
    console.log(customer.name, data.totalCount);
  }
}

export async function allOrders(customerIds: string[]) {
  return Promise.all(customerIds.map((id) => fetch(`https://api.partnercenter.microsoft.com/v1/customers/${id}/orders`)));
}
