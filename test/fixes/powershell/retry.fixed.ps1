# fix: retry
#Requires -Modules PartnerCenter
param(
    [Parameter(Mandatory)][string] $CustomerId
)

function Invoke-PartnerCenterWithRetry {
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
            $throttled = ($status -in 429, 503, 504) -or ("$($_.Exception.Message)" -match 'TooManyRequests|\b429\b')
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
}

Connect-PartnerCenter -UseDeviceAuthentication
$subscriptions = Invoke-PartnerCenterWithRetry { Get-PartnerCustomerSubscription -CustomerId $CustomerId }
$subscriptions | Export-Csv -Path subscriptions.csv -NoTypeInformation
Invoke-PartnerCenterWithRetry { Get-PartnerCustomerOrder -CustomerId $CustomerId } | Where-Object { $_.Status -eq 'completed' }
