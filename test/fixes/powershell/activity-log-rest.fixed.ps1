# fix: activity-log
# Raw REST against Partner Center: refresh what changed for every customer (Windows line ends).
param(
  [string] $TenantId = $env:PC_TENANT
)

function Get-PartnerCenterChangedCustomerId {
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
}

$PartnerCenterBase = 'https://api.partnercenter.microsoft.com/v1'
$headers = @{
  Authorization = "Bearer $(Get-Content -Raw "$PSScriptRoot/token.txt")"
  Accept        = 'application/json'
}

function Sync-Subscriptions {
  param([object[]] $Customers)
  # Partner Center Advisor: one Activity Log query, then refetch only the customers that changed.
  $changedCustomerIds = Get-PartnerCenterChangedCustomerId -ResourceType 'Subscription' -BaseUri $PartnerCenterBase -RequestParameters @{ Headers = $headers }
  $CustomersWithChangedSubscriptions = @($Customers | Where-Object { $null -eq $changedCustomerIds -or $changedCustomerIds.Contains($_.id) })
  foreach ($customer in $CustomersWithChangedSubscriptions) {
    $uri = "$PartnerCenterBase/customers/$($customer.id)/subscriptions"
    $page = Invoke-RestMethod -Uri $uri -Headers $headers -Method Get
    Write-Output "$($customer.companyProfile.companyName): $($page.totalCount) subscriptions"
  }
}

# All customers, then their transfers through the pipeline.
$customers = (Invoke-RestMethod -Uri "$PartnerCenterBase/customers?size=500" -Headers $headers).items
# Partner Center Advisor: one Activity Log query, then refetch only the customers that changed.
$changedTransferCustomerIds = Get-PartnerCenterChangedCustomerId -ResourceType 'Transfer' -BaseUri $PartnerCenterBase -RequestParameters @{ Headers = $headers; UseBasicParsing = $true }
$customersWithChangedTransfers = @($customers | Where-Object { $null -eq $changedTransferCustomerIds -or $changedTransferCustomerIds.Contains($_.id) })
$customersWithChangedTransfers | ForEach-Object {
  $transfers = irm "$PartnerCenterBase/customers/$($PSItem.id)/transfers" -Headers $headers -UseBasicParsing
  $transfers.items | Where-Object status -eq 'Active'
}

# Only the ids were kept.
$customerIds = $customers.id
# Partner Center Advisor: one Activity Log query, then refetch only the customers that changed.
$changedOrderCustomerIds = Get-PartnerCenterChangedCustomerId -ResourceType 'Order' -BaseUri 'https://api.partnercenter.microsoft.com/v1' -RequestParameters @{ Authentication = 'Bearer'; Token = (ConvertTo-SecureString $env:PC_TOKEN -AsPlainText -Force) }
$customerIdsWithChangedOrders = @($customerIds | Where-Object { $null -eq $changedOrderCustomerIds -or $changedOrderCustomerIds.Contains($_) })
foreach ($id in $customerIdsWithChangedOrders) {
  $orders = Invoke-RestMethod -Uri ('https://api.partnercenter.microsoft.com/v1/customers/{0}/orders' -f $id) -Authentication Bearer -Token (ConvertTo-SecureString $env:PC_TOKEN -AsPlainText -Force)
}

# Headers made per customer: the query could not use them before the loop, no fix.
foreach ($customer in $customers) {
  $customerHeaders = @{ Authorization = "Bearer $env:PC_TOKEN"; 'MS-CorrelationId' = $customer.id }
  Invoke-RestMethod -Uri "$PartnerCenterBase/customers/$($customer.id)/subscriptions" -Headers $customerHeaders
}
