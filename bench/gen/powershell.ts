/**
 * PowerShell: automation scripts and modules with advanced functions, Pester tests. Partner Center through
 * the PartnerCenter module's cmdlets (in foreach loops and ForEach-Object pipelines) and Invoke-RestMethod
 * with expandable strings and -f, -MaximumRetryCount, as in test/fixtures/powershell/.
 */
import { Ctx, LanguageGen, LOOK_NOUNS, pascal, PC_HOST, plural } from './types';

export class PowerShellGen implements LanguageGen {
  readonly language = 'powershell' as const;

  fileName(ctx: Ctx, test: boolean): string {
    const N = pascal(ctx.noun);
    if (test) return `scripts/tests/${N}.Tests.ps1`;
    return `scripts/${ctx.pick(['ops', 'billing', 'maintenance', 'reports'])}/${ctx.pick(['Sync', 'Export', 'Update', 'Invoke', 'Get'])}-${N}${ctx.chance(0.2) ? '.psm1' : '.ps1'}`;
  }

  header(ctx: Ctx, test: boolean): string {
    const N = pascal(ctx.noun);
    if (test) return `BeforeAll {\n    . $PSScriptRoot/../ops/Sync-${N}.ps1\n}\n\nDescribe 'Sync-${N}' {\n`;
    const lines = ['<#', '.SYNOPSIS', `    Maintenance tasks for ${plural(ctx.noun)}.`, '.DESCRIPTION', `    Reads ${plural(ctx.noun)} from the ${ctx.other()} store and writes reports.`, '#>', '[CmdletBinding()]', 'param(', `    [string]$OutputFolder = "$PSScriptRoot\\out",`, `    [int]$PageSize = ${ctx.pick([25, 50, 100])}`, ')', '', "$ErrorActionPreference = 'Stop'", 'Set-StrictMode -Version Latest'];
    if (ctx.kind === 'partner') {
      lines.push('Import-Module PartnerCenter', '', `$PartnerCenterBase = '${PC_HOST}/v1'`, '$headers = @{ Authorization = "Bearer $env:PC_TOKEN"; Accept = \'application/json\' }');
    } else if (ctx.kind === 'lookalike') {
      lines.push('', "$StripeApi = 'https://api.stripe.com/v1'", "$CrmBase = 'https://crm.internal.contoso.com'", '$stripeHeaders = @{ Authorization = "Bearer $env:STRIPE_KEY" }');
    }
    return lines.join('\n') + '\n\n';
  }

  footer(_ctx: Ctx, test: boolean): string {
    return test ? '}\n' : '';
  }

  plain(ctx: Ctx, test: boolean): string {
    const n = ctx.noun;
    const N = pascal(n);
    const O = pascal(ctx.other());
    const k = ctx.int(1, 999);
    if (test) {
      return ctx.pick([
        () => `    It 'exports ${plural(n)} with status ${ctx.status()}' {\n        $result = Export-${N}Report -Status '${ctx.status()}' -OutputFolder $TestDrive\n        $result | Should -Not -BeNullOrEmpty\n        Test-Path (Join-Path $TestDrive '${n}.csv') | Should -BeTrue\n    }\n\n`,
        () => `    It 'rejects an empty name' {\n        { Test-${N} -Item @{ Name = '' } } | Should -Throw '*name*'\n    }\n\n`,
      ])();
    }
    return ctx.pick([
      () => `function Get-${N}Page${k} {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)][string]$Status,
        [int]$Page = 0
    )
    $query = "SELECT id, name, status, amount FROM ${plural(n)} WHERE status = @status ORDER BY updated_at DESC OFFSET $($Page * $PageSize) ROWS"
    $rows = Invoke-Sqlcmd -Query $query -Variable "status=$Status" -ServerInstance $env:SQL_SERVER
    foreach ($row in $rows) {
        [pscustomobject]@{ Id = $row.id; Name = $row.name; Status = $row.status; Amount = [decimal]$row.amount }
    }
}\n\n`,
      () => `function Test-${N}${k} {
    param([Parameter(Mandatory)][hashtable]$Item)
    if ([string]::IsNullOrWhiteSpace($Item.Name)) {
        throw "${n} name is required"
    }
    if ($Item.Amount -lt 0) {
        throw "amount of ${n} $($Item.Id) must not be negative"
    }
    $true
}\n\n`,
      () => `function Export-${N}Report${k} {
    param([string]$Status = '${ctx.status()}')
    $items = Get-${N}Page -Status $Status
    $path = Join-Path $OutputFolder "${n}-$(Get-Date -Format yyyyMMdd).csv"
    $items | Sort-Object Amount -Descending | Export-Csv -Path $path -NoTypeInformation
    Write-Verbose "Wrote $($items.Count) ${plural(n)} to $path"
    $path
}\n\n`,
      () => `function Sync-${O}${k} {
    param([string[]]$Ids)
    foreach ($id in $Ids) {
        try {
            $remote = Invoke-RestMethod -Uri "http://${O.toLowerCase()}-service:8080/api/${plural(n)}/$id" -TimeoutSec 30
            Write-Verbose "Synced $($remote.id) ($($remote.status))"
        }
        catch {
            Write-Warning "Sync of $id failed: $($_.Exception.Message)"
        }
    }
}\n\n`,
      () => `$totals${k} = Get-${N}Page -Status '${ctx.status()}' |
    Group-Object Status |
    ForEach-Object { [pscustomobject]@{ Status = $_.Name; Total = ($_.Group | Measure-Object Amount -Sum).Sum } }
Write-Output $totals${k}\n\n`,
    ])();
  }

  lookalike(ctx: Ctx): string {
    const k = ctx.int(1, 999);
    const ln = ctx.pick(LOOK_NOUNS);
    return ctx.pick([
      () => `function Get-StripeSubscription${k} {
    param([Parameter(Mandatory)][string]$CustomerId)
    # Stripe has the same path shape as Partner Center.
    Invoke-RestMethod -Uri "$StripeApi/customers/$CustomerId/subscriptions" -Headers $stripeHeaders
}\n\n`,
      () => `function Get-CrmOrder${k} {
    param([string]$CustomerId)
    $url = '{0}/v1/customers/{1}/orders' -f $CrmBase, $CustomerId
    Invoke-RestMethod -Uri $url -Method Get
}\n\n`,
      () => `function Write-${pascal(ln)}Summary${k} {
    param([object[]]$Items)
    $active = ($Items | Where-Object Status -eq 'active').Count
    Write-Host "$active of $($Items.Count) ${plural(ln)} active; customer orders and subscriptions sync at night"
}\n\n`,
    ])();
  }

  partner(ctx: Ctx): string {
    const k = ctx.int(1, 999);
    switch (ctx.int(0, 9)) {
      case 0:
        return `function Get-SubscriptionReport${k} {
    param([Parameter(Mandatory)][string]$CustomerId)
    ${ctx.call('list-customer-subscriptions', 'cmdlet')}$subscriptions = Get-PartnerCustomerSubscription -CustomerId $CustomerId
    $subscriptions | Select-Object FriendlyName, Quantity, Status
}\n\n`;
      case 1:
        return `function Get-AllOrders${k} {
    param([object[]]$Customers)
    foreach ($customer in $Customers) {
        ${ctx.call('list-customer-orders', 'cmdlet', { loop: true })}Get-PartnerCustomerOrder -CustomerId $customer.CustomerId
    }
}\n\n`;
      case 2:
        return `function Get-AddOnCounts${k} {
    param([object[]]$Subscriptions, [string]$CustomerId)
    $Subscriptions | ForEach-Object {
        ${ctx.call('list-subscription-addons', 'cmdlet', { loop: true })}$addOns = Get-PartnerCustomerSubscriptionAddOn -CustomerId $CustomerId -SubscriptionId $_.SubscriptionId
        [pscustomobject]@{ Subscription = $_.SubscriptionId; AddOns = @($addOns).Count }
    }
}\n\n`;
      case 3:
        return `function Get-Transfers${k} {
    param([string]$CustomerId)
    ${ctx.call('list-customer-transfers', 'template')}Invoke-RestMethod -Uri "$PartnerCenterBase/customers/$CustomerId/transfers" -Headers $headers
}\n\n`;
      case 4:
        return `function Get-Order${k} {
    param([string]$CustomerId, [string]$OrderId)
    $url = '{0}/customers/{1}/orders/{2}' -f $PartnerCenterBase, $CustomerId, $OrderId
    ${ctx.call('get-order', 'format', { retry: true })}Invoke-RestMethod -Uri $url -Headers $headers -MaximumRetryCount 5 -RetryIntervalSec 10
}\n\n`;
      case 5:
        return `function Set-Quantity${k} {
    param([string]$CustomerId, [string]$SubscriptionId, [int]$Quantity)
    ${ctx.call('update-subscription', 'cmdlet')}Set-PartnerCustomerSubscription -CustomerId $CustomerId -SubscriptionId $SubscriptionId -Quantity $Quantity
}\n\n`;
      case 6: {
        const given = ctx.chance(0.5);
        return `function Get-Agreement${k} {
    param([string]$CustomerId)
    ${ctx.call('get-customer-agreements', 'cmdlet', { typeGiven: given })}Get-PartnerCustomerAgreement -CustomerId $CustomerId${given ? ' -AgreementType MicrosoftCustomerAgreement' : ''}
}\n\n`;
      }
      case 7:
        return `function Get-Entitlements${k} {
    param([string]$CustomerId, [string]$SubscriptionId)
    ${ctx.call('list-azure-entitlements', 'cmdlet')}Get-PartnerCustomerAzurePlanEntitlement -CustomerId $CustomerId -SubscriptionId $SubscriptionId
}\n\n`;
      case 8:
        return `function Get-Provisioning${k} {
    param([string]$CustomerId, [string]$OrderId)
    ${ctx.call('get-order-provisioning-status', 'template')}Invoke-RestMethod -Uri "$PartnerCenterBase/customers/$CustomerId/orders/$OrderId/provisioningstatus" -Headers $headers
}\n\n`;
      default:
        return `function Get-RegistrationStatus${k} {
    param([string]$CustomerId, [string]$SubscriptionId)
    ${ctx.call('get-subscription-registration-status', 'cmdlet')}Get-PartnerCustomerSubscriptionRegistrationStatus -CustomerId $CustomerId -SubscriptionId $SubscriptionId
}\n\n`;
    }
  }
}
