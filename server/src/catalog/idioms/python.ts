import { LanguageIdioms } from './types';

/** Python (requests, httpx, aiohttp, urllib). */
export const pythonIdioms: LanguageIdioms = {
  retryWrappers: ['retry_call', 'Retrying', 'AsyncRetrying', 'retry_with_backoff', 'with_retry'],
  retryDecorators: ['retry', 'tenacity.retry', 'backoff.on_exception', 'backoff.on_predicate', 'on_exception', 'retrying'],
  // urllib3's Retry(status_forcelist=…, respect_retry_after_header=…) or an adapter mounted with max_retries.
  fileRetry: [/\b(?:status_forcelist|respect_retry_after_header)\s{0,20}=/, /\bHTTPAdapter\(\s{0,40}max_retries\s{0,20}=/],
  iterationCallbacks: ['map', 'starmap', 'imap', 'imap_unordered', 'submit', 'gather'],
  retryHelper: 'with_partner_center_retry',
};
