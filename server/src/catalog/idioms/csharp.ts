import { LanguageIdioms } from './types';

/** C# (.NET SDK Microsoft.Store.PartnerCenter, HttpClient, RestSharp; Polly, Microsoft.Extensions.Http.Resilience). */
export const csharpIdioms: LanguageIdioms = {
  retryWrappers: ['ExecuteWithRetryAsync', 'ExecuteWithRetry', 'RetryAsync', 'WithRetryAsync', 'WithRetry'],
  retryMethods: [
    { method: 'Execute', receiver: /polic|pipeline|retry|resilien/i },
    { method: 'ExecuteAsync', receiver: /polic|pipeline|retry|resilien/i },
    { method: 'ExecuteAndCapture', receiver: /polic|pipeline|retry|resilien/i },
    { method: 'ExecuteAndCaptureAsync', receiver: /polic|pipeline|retry|resilien/i },
  ],
  // AddTransientHttpErrorPolicy alone does not retry 429: it is deliberately not listed.
  fileRetry: [/\bAddStandardResilienceHandler\s*\(/, /\bAddResilienceHandler\s*\(/, /\bAddRetry\s*\(/],
  iterationCallbacks: ['Select', 'SelectMany', 'ForEach', 'ForEachAsync', 'Where', 'Any', 'All', 'Aggregate', 'ToDictionary', 'ToLookup', 'ParallelForEachAsync'],
  sdkEvidence: /\bMicrosoft\.Store\.PartnerCenter\b|\bIAggregatePartner\b|\bIPartner\b/,
  retryHelper: 'WithPartnerCenterRetryAsync',
};
