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

Connect-PartnerCenter -UseDeviceAuthentication
$customers = Get-PartnerCustomer

# Subscriptions: one call per customer.
$rows = foreach ($customer in $customers) {
    $subscriptions = Get-PartnerCustomerSubscription -CustomerId $customer.CustomerId
    foreach ($subscription in $subscriptions) {
        [pscustomobject]@{ Customer = $customer.Name; Offer = $subscription.OfferName; Quantity = $subscription.Quantity }
    }
}
$rows | Export-Csv -Path (Join-Path $OutputFolder 'subscriptions.csv') -NoTypeInformation

# Orders, through the pipeline.
$customers | Sort-Object -Property Name | ForEach-Object {
    $orders = Get-PartnerCustomerOrder -CustomerId $_.CustomerId
    Write-Verbose "$($_.Name): $(@($orders).Count) orders"
}

function Export-AddOn {
    param([object[]] $Tenants)
    foreach ($tenant in $Tenants) {
        foreach ($subscription in Get-PartnerCustomerSubscription -CustomerId $tenant.CustomerId) {
            # The loop around this call is over subscriptions: no Activity Log fix for it.
            Get-PartnerCustomerSubscriptionAddOn -CustomerId $tenant.CustomerId -SubscriptionId $subscription.SubscriptionId
        }
    }
}
