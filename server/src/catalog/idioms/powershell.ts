import { LanguageIdioms } from './types';

/** PowerShell (PartnerCenter module, Invoke-RestMethod / Invoke-WebRequest). */
export const powershellIdioms: LanguageIdioms = {
  // Commands that run their script block argument under a retry (matched case-insensitively).
  retryWrappers: ['Invoke-WithRetry', 'Retry-Command', 'Invoke-RetryCommand', 'Invoke-CommandWithRetry'],
  // Commands (ForEach-Object and its aliases, Where-Object) and intrinsic methods (`.ForEach({})`, `.Where({})`)
  // whose script block runs once per item.
  iterationCallbacks: ['ForEach-Object', '%', 'foreach', 'Where-Object', '?', 'where', 'ForEach', 'Where'],
  sdkEvidence: /\bPartnerCenter\b|\bConnect-PartnerCenter\b/i,
  retryHelper: 'Invoke-PartnerCenterWithRetry',
};

/** PowerShell-specific data the adapter reads besides the common idioms. */
export const powershellHttp = {
  /** Web cmdlets and their aliases (`curl`/`wget` are aliases only in Windows PowerShell and take no -Method there). */
  commands: ['Invoke-RestMethod', 'irm', 'Invoke-WebRequest', 'iwr'],
  /**
   * Switch parameters of the web cmdlets and common parameters: they take no value, so the token after them
   * is positional (`Invoke-RestMethod -UseBasicParsing $uri`).
   */
  switches: [
    'UseBasicParsing', 'UseDefaultCredentials', 'DisableKeepAlive', 'SkipCertificateCheck', 'SkipHeaderValidation',
    'SkipHttpErrorCheck', 'PassThru', 'NoProxy', 'AllowUnencryptedAuthentication', 'AllowInsecureRedirect',
    'PreserveAuthorizationOnRedirect', 'PreserveHttpMethodOnRedirect', 'Resume', 'ProxyUseDefaultCredentials',
    'FollowRelLink', 'Verbose', 'Debug', 'WhatIf', 'Confirm',
  ],
  /** The retry option of the web cmdlets (PowerShell 7.1+; honours Retry-After on 429 in recent versions). */
  retryOption: 'MaximumRetryCount',
  /** The web cmdlets' own names, for their aliases (session defaults are keyed by the cmdlet name). */
  aliases: { irm: 'Invoke-RestMethod', iwr: 'Invoke-WebRequest' } as Record<string, string>,
  /**
   * A session default of the retry option, `$PSDefaultParameterValues['Invoke-RestMethod:MaximumRetryCount'] = 5`
   * or `$PSDefaultParameterValues = @{ 'Invoke-*:MaximumRetryCount' = 5 }`: group 1 is the command pattern
   * (wildcards allowed), group 2 the count. Only read in files that mention `$PSDefaultParameterValues`.
   */
  retryDefault: /['"]([\w*?-]{1,60}):MaximumRetryCount['"][\s\]]{0,20}=\s{0,20}(\d{1,3})/gi,
  /** Commands that serialise their input to the request body. */
  serializers: ['ConvertTo-Json'],
  /** Commands that add properties to an object (a body built with them has keys we cannot list). */
  memberAdders: ['Add-Member'],
  /** Static .NET methods that build a URL from their arguments (`[string]::Format`, `[uri]::new`). */
  urlBuilders: ['string::format', 'string::concat', 'string::join', 'uri::new', 'uri::escapeuristring'],
  /** String methods that keep a URL a URL (`$base.TrimEnd('/')`). */
  stringMethods: ['trimend', 'trimstart', 'trim', 'tostring', 'tolower', 'tolowerinvariant', 'replace'],
  /** Enum type of `-Method ([Microsoft.PowerShell.Commands.WebRequestMethod]::Patch)`. */
  methodEnum: /(?:^|\.)WebRequestMethod$/i,
  /**
   * Request helpers of the user's defined in another file (`New-GraphGetRequest -Uri …`, `Invoke-PcApi -Path …`):
   * a command whose name matches, given the URL by one of `urlParams` (or first positionally), with a method
   * from one of `methodParams`, from an HTTP verb in its name (`GraphGETRequest`, `PcPatch`) or from the verb
   * `Get-`. Without a method nothing is reported.
   */
  wrappers: {
    name: /request|rest|api|http|web|graph|partnercenter/i,
    /** Verbs of commands that print, store or convert, never request. */
    notVerbs: ['Write', 'Out', 'Format', 'Show', 'Export', 'Import', 'ConvertTo', 'ConvertFrom', 'Join', 'Split', 'Select', 'Where', 'Sort', 'Measure', 'Tee', 'Test', 'Trace', 'Add', 'Register', 'Resolve', 'Open', 'Start'],
    urlParams: ['Uri', 'Url', 'Endpoint', 'Path', 'Resource', 'RelativeUri', 'RelativeUrl', 'ApiPath'],
    methodParams: ['Method', 'Type', 'HttpMethod', 'Verb'],
    bodyParams: ['Body', 'Payload', 'Data'],
  },
  /** .NET clients used from PowerShell (`[System.Net.Http.HttpClient]::new()`, `New-Object System.Net.WebClient`). */
  dotnetClient: /\b(?:HttpClient|WebClient)\b/i,
  /** Their request methods (lower-cased) and the HTTP method each sends. */
  dotnetMethods: {
    getasync: 'GET',
    getstringasync: 'GET',
    getstreamasync: 'GET',
    getbytearrayasync: 'GET',
    postasync: 'POST',
    patchasync: 'PATCH',
    putasync: 'PUT',
    deleteasync: 'DELETE',
    downloadstring: 'GET',
    downloaddata: 'GET',
    downloadstringtaskasync: 'GET',
    uploadstring: 'POST',
  } as Record<string, string>,
  /** Variables that hold the current pipeline item: piping one of them runs the command once. */
  itemVariables: ['_', 'psitem'],
  /** Scope modifiers that do not change which variable is meant (`$script:base` is `$base` read from a function). */
  scopeModifiers: ['script', 'global', 'local', 'private', 'using'],
};
