import { LanguageIdioms } from './types';

/** PowerShell (PartnerCenter module, Invoke-RestMethod / Invoke-WebRequest). */
export const powershellIdioms: LanguageIdioms = {
  retryWrappers: ['Invoke-WithRetry', 'Retry-Command', 'Invoke-RetryCommand'],
  // -MaximumRetryCount on Invoke-RestMethod (PowerShell 7.1+) honours Retry-After for 429.
  iterationCallbacks: ['ForEach-Object', '%', 'foreach', 'Where-Object', '?'],
  sdkEvidence: /\bPartnerCenter\b|\bConnect-PartnerCenter\b/i,
  retryHelper: 'Invoke-PartnerCenterWithRetry',
};
