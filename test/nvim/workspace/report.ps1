Connect-PartnerCenter -UseDeviceAuthentication
Get-PartnerCustomerAgreement -CustomerId $env:CUSTOMER_ID
