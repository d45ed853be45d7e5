// fix: agreement-type
import axios from 'axios';

const PC = 'https://api.partnercenter.microsoft.com/v1';

export async function check(customerId: string) {
  const all = await fetch(`${PC}/customers/${customerId}/agreements`);
  const meta = await axios.get(PC + '/agreements', { params: { size: 1 } });
  const withQuery = await fetch(`${PC}/customers/${customerId}/agreements?size=10`);
  return [all, meta, withQuery];
}

export async function confirm(customerId: string, templateId: string) {
  const agreement = {
    primaryContact: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@contoso.example' },
    templateId,
    dateAgreed: new Date().toISOString(),
  };
  await axios.post(`${PC}/customers/${customerId}/agreements`, agreement);
  await fetch(`${PC}/customers/${customerId}/agreements`, { method: 'POST', body: JSON.stringify({ templateId, dateAgreed: '2021-01-14' }) });
}
