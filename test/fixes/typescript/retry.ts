// fix: retry
import axios from 'axios';
import ky from 'ky';

const pc = axios.create({ baseURL: 'https://api.partnercenter.microsoft.com/v1/' });

export async function subscriptions(customerId: string) {
  const { data } = await pc.get(`customers/${customerId}/subscriptions`);
  return data.items;
}

export function transfers(customerId: string) {
  return ky.get(`https://api.partnercenter.microsoft.com/v1/customers/${customerId}/transfers`).json();
}
