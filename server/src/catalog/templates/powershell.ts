/**
 * PowerShell code inserted by the quick fixes and offered as snippets (the PartnerCenter module and
 * Invoke-RestMethod).
 */
import type { SnippetSpec } from './types';

export const PS_RETRY_HELPER = 'Invoke-PartnerCenterWithRetry';
export const MCA = 'MicrosoftCustomerAgreement';

/**
 * Runs a script block, retrying on HTTP 429 (and 503/504) — an error whose response has that status, or a
 * PartnerCenter module error saying TooManyRequests — after Retry-After when the response gives it, else
 * exponential backoff with jitter; at most MaxAttempts runs, then the last error is rethrown.
 */
export function psRetryHelper(): string {
  return `function ${PS_RETRY_HELPER} {
  <# Partner Center Advisor: retries a throttled Partner Center call (HTTP 429/503/504), waiting Retry-After, else exponential backoff with jitter. #>
  param(
    [Parameter(Mandatory)][scriptblock] $ScriptBlock,
    [int] $MaxAttempts = 5
  )
  for ($attempt = 1; ; $attempt++) {
    try {
      return & $ScriptBlock
    } catch {
      $response = $_.Exception.Response
      $status = if ($response) { [int]$response.StatusCode } else { 0 }
      $throttled = ($status -in 429, 503, 504) -or ("$($_.Exception.Message)" -match 'TooManyRequests|\\b429\\b')
      if (-not $throttled -or $attempt -ge $MaxAttempts) { throw }
      $retryAfter = 0
      if ($response -and $response.Headers) {
        try { $retryAfter = $response.Headers.RetryAfter.Delta.TotalSeconds } catch { }
        if (-not $retryAfter) { try { $retryAfter = [double]"$($response.Headers['Retry-After'])" } catch { } }
      }
      $delay = if ($retryAfter -gt 0) { $retryAfter } else { [Math]::Min(30, [Math]::Pow(2, $attempt - 1)) * (0.5 + (Get-Random -Minimum 0.0 -Maximum 0.5)) }
      Start-Sleep -Milliseconds ([int]($delay * 1000))
    }
  }
}`;
}

export function psRetryCall(command: string): string {
  return `${PS_RETRY_HELPER} { ${command} }`;
}

export function psSnippets(): SnippetSpec[] {
  return [
    {
      prefix: 'pc-retry',
      name: 'Partner Center call with retry (Retry-After)',
      description: 'A PartnerCenter module call wrapped in a retry that honours Retry-After on HTTP 429, with the helper function.',
      body: (p) => `${psRetryHelper()}

$subscriptions = ${PS_RETRY_HELPER} { Get-PartnerCustomerSubscription -CustomerId ${p(1, '$customerId')} }`,
    },
    {
      prefix: 'pc-activity-log',
      name: 'Partner Center Activity Log query',
      description: 'Which customers had changes in the last N days (Get-PartnerAuditRecord), instead of polling every customer.',
      body: (p) => `$records = Get-PartnerAuditRecord -StartDate (Get-Date).AddDays(-${p(1, '1')})
$changedCustomerIds = $records | Where-Object { $_.ResourceType -eq '${p(2, 'Subscription')}' -and $_.CustomerId } | Select-Object -ExpandProperty CustomerId -Unique`,
    },
    {
      prefix: 'pc-mca-confirm',
      name: 'Confirm the Microsoft Customer Agreement',
      description: 'Gets the MCA template id (Get-PartnerAgreementDetail -AgreementType), then confirms with -AgreementType MicrosoftCustomerAgreement.',
      body: (p) => `$template = Get-PartnerAgreementDetail -AgreementType ${MCA} | Select-Object -First 1
New-PartnerCustomerAgreement -CustomerId ${p(1, '$customerId')} -AgreementType ${MCA} -TemplateId $template.TemplateId -ContactEmail ${p(2, "'ada@contoso.example'")} -ContactFirstName ${p(3, 'Ada')} -ContactLastName ${p(4, 'Lovelace')}`,
    },
    {
      prefix: 'pc-agreement-check',
      name: 'Check the Microsoft Customer Agreement',
      description: "A customer's MCA confirmations: Get-PartnerCustomerAgreement -AgreementType MicrosoftCustomerAgreement.",
      body: (p) => `$agreements = Get-PartnerCustomerAgreement -CustomerId ${p(1, '$customerId')} -AgreementType ${MCA}
$confirmed = @($agreements).Count -gt 0`,
    },
  ];
}
