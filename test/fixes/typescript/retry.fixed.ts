// fix: retry
import axios from 'axios';
import ky from 'ky';

/** Partner Center Advisor: retries a throttled Partner Center call (HTTP 429/503/504), waiting Retry-After, else exponential backoff with jitter. */
async function withPartnerCenterRetry<T>(call: () => Promise<T>, maxAttempts = 5): Promise<T> {
  const retryable = [429, 503, 504];
  for (let attempt = 1; ; attempt++) {
    let status: number | undefined;
    let headers: any;
    try {
      const result = await call();
      const response = result as any;
      status = typeof response?.status === 'number' ? response.status : undefined;
      if (status === undefined || !retryable.includes(status) || attempt >= maxAttempts) return result;
      headers = response.headers;
    } catch (error) {
      const e = error as any;
      status = e?.response?.status ?? e?.status ?? e?.statusCode;
      if (status === undefined || !retryable.includes(status) || attempt >= maxAttempts) throw error;
      headers = e.response?.headers ?? e.headers;
    }
    const retryAfter = typeof headers?.get === 'function' ? headers.get('retry-after') : headers?.['retry-after'];
    const seconds = Number(retryAfter);
    const dateDelay = retryAfter ? Date.parse(retryAfter) - Date.now() : NaN;
    const delayMs = retryAfter && Number.isFinite(seconds)
      ? seconds * 1000
      : Number.isFinite(dateDelay) && dateDelay > 0
        ? dateDelay
        : Math.min(30_000, 1000 * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
}

const pc = axios.create({ baseURL: 'https://api.partnercenter.microsoft.com/v1/' });

export async function subscriptions(customerId: string) {
  const { data } = await withPartnerCenterRetry(() => pc.get(`customers/${customerId}/subscriptions`));
  return data.items;
}

export function transfers(customerId: string) {
  return withPartnerCenterRetry(() => ky.get(`https://api.partnercenter.microsoft.com/v1/customers/${customerId}/transfers`).json());
}
