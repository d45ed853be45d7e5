import { LanguageIdioms } from './types';

/** Python (requests, httpx, aiohttp, urllib). */
export const pythonIdioms: LanguageIdioms = {
  retryWrappers: ['retry_call', 'Retrying', 'AsyncRetrying', 'retry_with_backoff', 'with_retry'],
  retryDecorators: ['retry', 'tenacity.retry', 'backoff.on_exception', 'backoff.on_predicate', 'on_exception', 'retrying'],
  fileRetry: [/\bRetry\s*\([^)]*\b(?:status_forcelist|respect_retry_after_header|total)\b/, /\.mount\s*\([^)]*HTTPAdapter\s*\(\s*max_retries\s*=/],
  iterationCallbacks: ['map', 'starmap', 'imap', 'imap_unordered', 'submit', 'gather'],
  retryHelper: 'with_partner_center_retry',
};
