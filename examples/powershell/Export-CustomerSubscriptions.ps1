<#
.SYNOPSIS
    Exports every customer's subscriptions and add-ons to CSV.
.EXAMPLE
    ./Export-CustomerSubscriptions.ps1 -Path subscriptions.csv
#>
param(
    [Parameter(Mandatory)] [string] $Path
)

Connect-PartnerCenter -UseDeviceAuthentication | Out-Null

$rows = Get-PartnerCustomer | ForEach-Object {
    $customer = $_
    Get-PartnerCustomerSubscription -CustomerId $customer.CustomerId | ForEach-Object {
        [pscustomobject]@{
            Customer     = $customer.Domain
            Subscription = $_.FriendlyName
            Quantity     = $_.Quantity
            AddOns       = (Get-PartnerCustomerSubscriptionAddOn -CustomerId $customer.CustomerId -SubscriptionId $_.SubscriptionId).Count
        }
    }
}
$rows | Export-Csv -Path $Path -NoTypeInformation

# Which customers accepted the Microsoft Customer Agreement?
$accepted = Get-PartnerCustomer | Where-Object {
    Get-PartnerCustomerAgreement -CustomerId $_.CustomerId
}
Write-Host "$($accepted.Count) customers have agreements"
