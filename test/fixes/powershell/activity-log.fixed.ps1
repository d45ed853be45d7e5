# fix: activity-log
#Requires -Modules PartnerCenter
<#
.SYNOPSIS
    Nightly export of what every CSP customer bought.
#>
[CmdletBinding()]
param(
    [string] $OutputFolder = "$PSScriptRoot\out"
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

Connect-PartnerCenter -UseDeviceAuthentication
$customers = Get-PartnerCustomer

# Subscriptions: one call per customer.
# Partner Center Advisor: one Activity Log query, then refetch only the customers that changed.
$changedCustomerIds = Get-PartnerCenterChangedCustomerId -ResourceType 'Subscription'
$customersWithChangedSubscriptions = @($customers | Where-Object { $null -eq $changedCustomerIds -or $changedCustomerIds.Contains($_.CustomerId) })
$rows = foreach ($customer in $customersWithChangedSubscriptions) {
    $subscriptions = Get-PartnerCustomerSubscription -CustomerId $customer.CustomerId
    foreach ($subscription in $subscriptions) {
        [pscustomobject]@{ Customer = $customer.Name; Offer = $subscription.OfferName; Quantity = $subscription.Quantity }
    }
}
$rows | Export-Csv -Path (Join-Path $OutputFolder 'subscriptions.csv') -NoTypeInformation

# Orders, through the pipeline.
# Partner Center Advisor: one Activity Log query, then refetch only the customers that changed.
$changedOrderCustomerIds = Get-PartnerCenterChangedCustomerId -ResourceType 'Order'
$customersWithChangedOrders = @($customers | Sort-Object -Property Name | Where-Object { $null -eq $changedOrderCustomerIds -or $changedOrderCustomerIds.Contains($_.CustomerId) })
$customersWithChangedOrders | ForEach-Object {
    $orders = Get-PartnerCustomerOrder -CustomerId $_.CustomerId
    Write-Verbose "$($_.Name): $(@($orders).Count) orders"
}

function Export-AddOn {
    param([object[]] $Tenants)
    # Partner Center Advisor: one Activity Log query, then refetch only the customers that changed.
    $changedCustomerIds = Get-PartnerCenterChangedCustomerId -ResourceType 'Subscription'
    $TenantsWithChangedSubscriptions = @($Tenants | Where-Object { $null -eq $changedCustomerIds -or $changedCustomerIds.Contains($_.CustomerId) })
    foreach ($tenant in $TenantsWithChangedSubscriptions) {
        foreach ($subscription in Get-PartnerCustomerSubscription -CustomerId $tenant.CustomerId) {
            # The loop around this call is over subscriptions: no Activity Log fix for it.
            Get-PartnerCustomerSubscriptionAddOn -CustomerId $tenant.CustomerId -SubscriptionId $subscription.SubscriptionId
        }
    }
}
