// A small billing sync, as partners write it: the e2e tests open this file in a real VS Code.
const PC = 'https://api.partnercenter.microsoft.com/v1';

export async function subscriptionsOf(customerId: string, token: string) {
  const res = await fetch(`${PC}/customers/${customerId}/subscriptions`, { headers: { Authorization: `Bearer ${token}` } });
  return res.json();
}

export async function agreementsOf(customerId: string) {
  return fetch(`${PC}/customers/${customerId}/agreements`);
}
