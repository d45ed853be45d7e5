# fix: activity-log
# Weekly audit of CSP customers; the Activity Log helper was added for another script already.
param(
    [string[]] $Only,
    [switch] $Full
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
$customerList = Get-PartnerCustomer | Where-Object { -not $Only -or $_.Domain -in $Only }

# The id is copied into a variable first; a labelled loop.
:customers foreach ($c in $customerList) {
    $id = $c.CustomerId
    $subscriptions = Get-PartnerCustomerSubscription -CustomerId $id
    if (-not $subscriptions) { continue }
    Write-Host "$($c.Domain): $(@($subscriptions).Count)"
}

# $PSItem kept in a variable.
$customerList | ForEach-Object {
    $tenant = $PSItem
    Get-PartnerCustomerOrder -CustomerId $tenant.CustomerId | Select-Object -First 5
} | Format-Table

# Shapes without the fix: a loop that does not start its line, a filter, pipeline input, a splat, .ForEach().
if ($Full) { foreach ($c in $customerList) { Get-PartnerCustomerOrder -CustomerId $c.CustomerId } }
$withSubscriptions = $customerList | Where-Object { Get-PartnerCustomerSubscription -CustomerId $_.CustomerId }
$customerList | Get-PartnerCustomerSubscription | Export-Csv -Path subscriptions.csv -NoTypeInformation
foreach ($c in $customerList) {
    $query = @{ CustomerId = $c.CustomerId }
    Get-PartnerCustomerOrder @query
}
$customerList.ForEach({ Get-PartnerCustomerSubscription -CustomerId $_.CustomerId })
"$($withSubscriptions.Count)"
