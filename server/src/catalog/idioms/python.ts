import { LanguageIdioms } from './types';

/** Python (requests, httpx, aiohttp, urllib; tenacity, backoff, urllib3 Retry). */
export const pythonIdioms: LanguageIdioms = {
  retryWrappers: ['retry_call', 'Retrying', 'AsyncRetrying', 'retry_with_backoff', 'with_retry', 'with_partner_center_retry_async', 'partner_center_retrying', 'partner_center_retrying_async'],
  retryDecorators: ['retry', 'tenacity.retry', 'backoff.on_exception', 'backoff.on_predicate', 'on_exception', 'on_predicate', 'retrying'],
  // urllib3's Retry(status_forcelist=…, respect_retry_after_header=…) or an adapter mounted with max_retries.
  fileRetry: [/\b(?:status_forcelist|respect_retry_after_header)\s{0,20}=/, /\bHTTPAdapter\(\s{0,40}max_retries\s{0,20}=/],
  // Calls that run a function once per item of their iterable argument.
  iterationCallbacks: ['map', 'starmap', 'imap', 'imap_unordered'],
  retryHelper: 'with_partner_center_retry',
};

/** HTTP client constructors whose `base_url` is the base of relative calls on the instance. */
export const pythonClientFactories = /^(?:httpx\.)?(?:Async)?Client$|^(?:aiohttp\.)?ClientSession$|^(?:requests\.)?Session$/;

/** Receivers whose `.get(key)` is a lookup, not an HTTP GET. */
export const pythonLookupReceiver = /(?:environ|dict|map|cache|config|settings|headers|params|data|json|body|payload|item|items|row|record|result|response|resp|res|kwargs|options|opts|meta|metadata|store|registry|context|ctx|session_state|args|query|form|cookies|os)$/i;
