import { LanguageIdioms } from './types';

/** Java (Partner Center SDK com.microsoft.store.partnercenter, java.net.http, OkHttp, Apache HttpClient). */
export const javaIdioms: LanguageIdioms = {
  retryWrappers: ['decorateSupplier', 'decorateCallable', 'decorateCheckedSupplier', 'executeSupplier', 'executeCallable', 'withRetry', 'retry'],
  retryMethods: [
    // Failsafe.with(retryPolicy).get(() -> ...)
    { method: 'get', receiver: /Failsafe\s*\.\s*with\b/ },
    { method: 'run', receiver: /Failsafe\s*\.\s*with\b/ },
    { method: 'getAsync', receiver: /Failsafe\s*\.\s*with\b/ },
    { method: 'execute', receiver: /retryTemplate|RetryTemplate/ },
  ],
  retryDecorators: ['Retry', 'Retryable'],
  iterationCallbacks: ['forEach', 'map', 'flatMap', 'filter', 'forEachOrdered', 'mapToObj', 'peek', 'anyMatch', 'allMatch', 'computeIfAbsent', 'replaceAll'],
  sdkEvidence: /\bcom\.microsoft\.store\.partnercenter\b|\bIAggregatePartner\b|\bIPartner\b/,
  retryHelper: 'withPartnerCenterRetry',
};
