/**
 * PowerShell code inserted by the quick fixes and offered as snippets (the PartnerCenter module and
 * Invoke-RestMethod).
 */
import type { SnippetSpec } from './types';

export const PS_RETRY_HELPER = 'Invoke-PartnerCenterWithRetry';
export const PS_AUDIT_HELPER = 'Get-PartnerCenterChangedCustomerId';
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

/**
 * Asks the Activity Log which customers had changes of a resource type in the last `Days` days: through the
 * PartnerCenter module (Get-PartnerAuditRecord, which pages itself), or with -BaseUri through
 * GET <BaseUri>/auditrecords and the caller's own Invoke-RestMethod parameters (headers, token). Returns a
 * case-insensitive set of customer ids, or $null when the answer cannot be trusted (the query failed, or the
 * REST answer has more than one page): the caller then refetches every customer.
 */
export function psAuditHelper(): string {
  return `function ${PS_AUDIT_HELPER} {
  <# Partner Center Advisor: ids of the customers with changes of ResourceType in the last Days days, from the Activity Log; $null when that is not known (then refetch every customer). #>
  param(
    [Parameter(Mandatory)][string] $ResourceType,
    [int] $Days = 1,
    # Raw REST: the API root (https://api.partnercenter.microsoft.com/v1) and the caller's Invoke-RestMethod parameters.
    [string] $BaseUri,
    [hashtable] $RequestParameters = @{}
  )
  try {
    if ($BaseUri) {
      $filter = [ordered]@{ Field = 'ResourceType'; Value = $ResourceType; Operator = 'equals' } | ConvertTo-Json -Compress
      $startDate = (Get-Date).ToUniversalTime().AddDays(-$Days).ToString('yyyy-MM-dd')
      $page = Invoke-RestMethod -Method Get -Uri "$($BaseUri.TrimEnd('/'))/auditrecords?startDate=$startDate&size=500&filter=$([uri]::EscapeDataString($filter))" @RequestParameters
      if ($page.continuationToken) {
        Write-Warning 'The Activity Log has more than one page of changes: refetching every customer.'
        return $null
      }
      $records = $page.items
    } else {
      $records = Get-PartnerAuditRecord -StartDate (Get-Date).AddDays(-$Days) -ErrorAction Stop | Where-Object { "$($_.ResourceType)" -eq $ResourceType }
    }
  } catch {
    Write-Warning "Activity Log query failed, refetching every customer: $($_.Exception.Message)"
    return $null
  }
  $ids = [System.Collections.Generic.HashSet[string]]::new([System.StringComparer]::OrdinalIgnoreCase)
  foreach ($record in $records) {
    if ($record.customerId) { [void]$ids.Add($record.customerId) }
  }
  return , $ids  # the comma keeps an empty set from being unrolled into $null
}`;
}

/**
 * What the Activity Log fix puts before the per-customer loop: the query, then the items whose customer changed
 * (all of them when the query failed). The loop then iterates `changed`. `itemId` is the customer id of
 * the current item, written with `$_`.
 */
export function psAuditQuery(o: {
  ids: string;
  changed: string;
  collection: string;
  itemId: string;
  resourceType: string;
  /** Raw REST: the -BaseUri argument and the -RequestParameters hashtable (when there are any). */
  baseUri?: string;
  requestParameters?: string;
}): string {
  const rest = o.baseUri ? ` -BaseUri ${o.baseUri}${o.requestParameters ? ` -RequestParameters ${o.requestParameters}` : ''}` : '';
  return `# Partner Center Advisor: one Activity Log query, then refetch only the customers that changed.
$${o.ids} = ${PS_AUDIT_HELPER} -ResourceType '${o.resourceType}'${rest}
$${o.changed} = @(${o.collection} | Where-Object { $null -eq $${o.ids} -or $${o.ids}.Contains(${o.itemId}) })`;
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
      description: 'Which customers had changes of a resource type in the last N days (Get-PartnerAuditRecord, or GET /v1/auditrecords with -BaseUri), instead of polling every customer; with the helper function.',
      body: (p) => `${psAuditHelper()}

$changedCustomerIds = ${PS_AUDIT_HELPER} -ResourceType '${p(1, 'Subscription')}' -Days ${p(2, '1')}`,
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
