# fix: retry
#Requires -Modules PartnerCenter
param(
    [Parameter(Mandatory)][string] $CustomerId
)

Connect-PartnerCenter -UseDeviceAuthentication
$subscriptions = Get-PartnerCustomerSubscription -CustomerId $CustomerId
$subscriptions | Export-Csv -Path subscriptions.csv -NoTypeInformation
Get-PartnerCustomerOrder -CustomerId $CustomerId | Where-Object { $_.Status -eq 'completed' }
