// fix: retry
'use strict';
const fetch = require('node-fetch');

/** Partner Center Advisor: retries a throttled Partner Center call (HTTP 429/503/504), waiting Retry-After, else exponential backoff with jitter. */
async function withPartnerCenterRetry(call, maxAttempts = 5) {
  const retryable = [429, 503, 504];
  for (let attempt = 1; ; attempt++) {
    let status;
    let headers;
    try {
      const result = await call();
      const response = result;
      status = typeof response?.status === 'number' ? response.status : undefined;
      if (status === undefined || !retryable.includes(status) || attempt >= maxAttempts) return result;
      headers = response.headers;
    } catch (error) {
      const e = error;
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

const BASE = 'https://api.partnercenter.microsoft.com';

async function orders(customerId) {
  const res = await withPartnerCenterRetry(() => fetch(`${BASE}/v1/customers/${customerId}/orders`));
  return res.json();
}

module.exports = { orders };
