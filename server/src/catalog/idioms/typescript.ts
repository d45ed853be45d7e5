import { LanguageIdioms } from './types';

/** TypeScript and JavaScript (axios, fetch, got, ky, superagent, Angular HttpClient). */
export const typescriptIdioms: LanguageIdioms = {
  retryWrappers: ['pRetry', 'retry', 'asyncRetry', 'backOff', 'withRetry', 'retryAsync', 'promiseRetry', 'pRetryable'],
  fileRetry: [/\baxiosRetry\s*\(/, /\brequire\(\s*['"]axios-retry['"]\s*\)/, /\bfetch-retry\b/],
  iterationCallbacks: [
    'map', 'forEach', 'flatMap', 'filter', 'reduce', 'reduceRight', 'some', 'every', 'find', 'findIndex',
    'findLast', 'findLastIndex', 'pMap', 'mapLimit', 'mapSeries', 'eachLimit', 'eachSeries', 'each', 'from',
  ],
  retryHelper: 'withPartnerCenterRetry',
};
