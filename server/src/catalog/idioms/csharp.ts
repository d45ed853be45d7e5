import { LanguageIdioms } from './types';

/** C# (.NET SDK Microsoft.Store.PartnerCenter, HttpClient, RestSharp, Flurl; Polly, Microsoft.Extensions.Http.Resilience). */
export const csharpIdioms: LanguageIdioms = {
  retryWrappers: ['ExecuteWithRetryAsync', 'ExecuteWithRetry', 'RetryAsync', 'WithRetryAsync', 'WithRetry', 'WithPartnerCenterRetry'],
  retryMethods: [
    { method: 'Execute', receiver: /polic|pipeline|retry|resilien/i },
    { method: 'ExecuteAsync', receiver: /polic|pipeline|retry|resilien/i },
    { method: 'ExecuteAndCapture', receiver: /polic|pipeline|retry|resilien/i },
    { method: 'ExecuteAndCaptureAsync', receiver: /polic|pipeline|retry|resilien/i },
  ],
  // AddTransientHttpErrorPolicy alone does not retry 429: it is deliberately not listed.
  // A bare `AddRetry(` is a pipeline builder step (our own Polly field has one): only an HttpClient registration counts.
  fileRetry: [/\bAddStandardResilienceHandler\s*\(/, /\bAddResilienceHandler\s*\(/],
  iterationCallbacks: ['Select', 'SelectMany', 'ForEach', 'ForEachAsync', 'Where', 'Any', 'All', 'Aggregate', 'ToDictionary', 'ToLookup', 'ParallelForEachAsync'],
  sdkEvidence: /\bMicrosoft\.Store\.PartnerCenter\b|\bIAggregatePartner\b|\bIPartner\b/,
  retryHelper: 'WithPartnerCenterRetryAsync',
};

/** HttpClient (and RestSharp / Flurl) request methods: verb, index of the URL and of the body argument. */
export const csharpHttpMethods: Readonly<Record<string, { method: string; body?: number }>> = {
  getasync: { method: 'GET' },
  getstringasync: { method: 'GET' },
  getstreamasync: { method: 'GET' },
  getbytearrayasync: { method: 'GET' },
  getfromjsonasync: { method: 'GET' },
  getjsonasync: { method: 'GET' },
  postasync: { method: 'POST', body: 1 },
  postasjsonasync: { method: 'POST', body: 1 },
  postjsonasync: { method: 'POST', body: 1 },
  patchasync: { method: 'PATCH', body: 1 },
  patchasjsonasync: { method: 'PATCH', body: 1 },
  patchjsonasync: { method: 'PATCH', body: 1 },
  putasync: { method: 'PUT', body: 1 },
  putasjsonasync: { method: 'PUT', body: 1 },
  putjsonasync: { method: 'PUT', body: 1 },
  deleteasync: { method: 'DELETE' },
  deletefromjsonasync: { method: 'DELETE' },
};

/** Request objects built with the URL and (optionally) the method: `new HttpRequestMessage(HttpMethod.Get, url)`. */
export const csharpRequestTypes: Readonly<Record<string, { urlIndex: number; methodIndex?: number; defaultMethod?: string }>> = {
  HttpRequestMessage: { urlIndex: 1, methodIndex: 0 },
  RestRequest: { urlIndex: 0, methodIndex: 1, defaultMethod: 'GET' },
};

/** Receivers whose `GetAsync(key)` is a lookup, not an HTTP GET (IDistributedCache, repositories…). */
export const csharpLookupReceiver = /(?:cache|store|dictionary|map|redis|db|database|repository|repo|context|session|config|configuration|settings|table|container|blob|queue|storage|secrets?|vault|keyvault)$/i;
