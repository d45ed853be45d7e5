# fix: agreement-type
#Requires -Modules PartnerCenter
param([string] $CustomerId)

Connect-PartnerCenter -UseDeviceAuthentication
$agreements = Get-PartnerCustomerAgreement -CustomerId $CustomerId -AgreementType MicrosoftCustomerAgreement
Get-PartnerAgreementDetail -AgreementType MicrosoftCustomerAgreement | Select-Object -First 1

$token = (New-PartnerAccessToken -ApplicationId $env:APP_ID -Scopes 'https://api.partnercenter.microsoft.com/user_impersonation').AccessToken
$headers = @{ Authorization = "Bearer $token" }
$rest = Invoke-RestMethod -Uri "https://api.partnercenter.microsoft.com/v1/customers/$CustomerId/agreements?agreementType=MicrosoftCustomerAgreement" -Headers $headers
