import { LanguageIdioms } from './types';

/** Go (net/http, resty; retry libraries cenkalti/backoff, avast/retry-go, hashicorp/go-retryablehttp). */
export const goIdioms: LanguageIdioms = {
  retryWrappers: ['Retry', 'RetryNotify', 'Do', 'withRetry', 'doWithRetry', 'RetryWithData'],
  retryMethods: [{ method: 'Do', receiver: /retry/i }],
  fileRetry: [/\bretryablehttp\.NewClient\b/, /\.SetRetryCount\s*\(/],
  iterationCallbacks: [],
  retryHelper: 'withPartnerCenterRetry',
};
