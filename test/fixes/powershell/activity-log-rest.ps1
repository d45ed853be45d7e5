# fix: activity-log
# Raw REST against Partner Center: refresh what changed for every customer (Windows line ends).
param(
  [string] $TenantId = $env:PC_TENANT
)

$PartnerCenterBase = 'https://api.partnercenter.microsoft.com/v1'
$headers = @{
  Authorization = "Bearer $(Get-Content -Raw "$PSScriptRoot/token.txt")"
  Accept        = 'application/json'
}

function Sync-Subscriptions {
  param([object[]] $Customers)
  foreach ($customer in $Customers) {
    $uri = "$PartnerCenterBase/customers/$($customer.id)/subscriptions"
    $page = Invoke-RestMethod -Uri $uri -Headers $headers -Method Get
    Write-Output "$($customer.companyProfile.companyName): $($page.totalCount) subscriptions"
  }
}

# All customers, then their transfers through the pipeline.
$customers = (Invoke-RestMethod -Uri "$PartnerCenterBase/customers?size=500" -Headers $headers).items
$customers | ForEach-Object {
  $transfers = irm "$PartnerCenterBase/customers/$($PSItem.id)/transfers" -Headers $headers -UseBasicParsing
  $transfers.items | Where-Object status -eq 'Active'
}

# Only the ids were kept.
$customerIds = $customers.id
foreach ($id in $customerIds) {
  $orders = Invoke-RestMethod -Uri ('https://api.partnercenter.microsoft.com/v1/customers/{0}/orders' -f $id) -Authentication Bearer -Token (ConvertTo-SecureString $env:PC_TOKEN -AsPlainText -Force)
}

# Headers made per customer: the query could not use them before the loop, no fix.
foreach ($customer in $customers) {
  $customerHeaders = @{ Authorization = "Bearer $env:PC_TOKEN"; 'MS-CorrelationId' = $customer.id }
  Invoke-RestMethod -Uri "$PartnerCenterBase/customers/$($customer.id)/subscriptions" -Headers $customerHeaders
}
