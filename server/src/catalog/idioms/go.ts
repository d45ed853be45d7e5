import { LanguageIdioms } from './types';

/**
 * Go (net/http, hashicorp/go-retryablehttp, resty and imroc/req; retry libraries cenkalti/backoff,
 * avast/retry-go, sethvargo/go-retry, eapache/go-resiliency, failsafe-go).
 */
export const goIdioms: LanguageIdioms = {
  // Matched on the callee's name (`backoff.Retry`, `backoff.RetryNotify`, `backoff.RetryWithData`, a helper of ours).
  retryWrappers: ['Retry', 'RetryNotify', 'RetryWithData', 'RetryNotifyWithData', 'withRetry', 'doWithRetry', 'retryWithBackoff'],
  retryMethods: [
    // avast/retry-go `retry.Do(func() error {…}, …)`, sethvargo/go-retry `retry.Do(ctx, b, func…)`.
    { method: 'Do', receiver: /^retry$|retrier|retryer/i },
    { method: 'DoWithData', receiver: /^retry$/i },
    // eapache/go-resiliency `retrier.New(…).Run(func() error {…})`, failsafe-go `failsafe.Run(fn, retryPolicy)`.
    { method: 'Run', receiver: /retrier|^failsafe$/i },
    { method: 'Get', receiver: /^failsafe$/i },
  ],
  // go-retryablehttp's client retries 429 honouring Retry-After; resty retries once SetRetryCount is set.
  fileRetry: [/\bretryablehttp\.NewClient\b/, /\.\s*SetRetryCount\s*\(/],
  // samber/lo `lo.ForEach(customers, func…)`, `lop.Map`, `sync.Map.Range(func…)`.
  iterationCallbacks: ['ForEach', 'Map', 'FlatMap', 'Filter', 'Range'],
  retryHelper: 'withPartnerCenterRetry',
};

/** Go HTTP libraries, as data: what builds, sends and carries a request. */
export interface GoHttpIdioms {
  /** Import paths whose package has net/http's client functions (`Get`, `Head`, `Post`, `PostForm`, `NewRequest`…). */
  requestPackages: readonly string[];
  /** Import paths of the fluent request builders (`client.R().SetQueryParam(…).Get(url)`). */
  builderPackages: readonly RegExp[];
  /** Methods that start a builder request on a client (`R()`, `NewRequest()` without arguments). */
  builderStarts: readonly string[];
  /** Builder methods that set a base URL on the client. */
  baseUrlSetters: readonly string[];
  /** Builder methods that set query parameters: one key, a map of keys, url.Values, a query string. */
  querySetters: { key: readonly string[]; map: readonly string[]; values: readonly string[]; text: readonly string[] };
  /** Builder methods that set the body. */
  bodySetters: readonly string[];
  /** Types (as written) of `*http.Client`-like values: Get(url), Head(url), Post(url, type, body), PostForm(url, data). */
  clientTypes: RegExp;
  /** Calls (callee text) that return such a client. */
  clientConstructors: RegExp;
  /** Types of builder requests (`*resty.Request`). */
  builderTypes: RegExp;
  /** Types and constructors of HTTP routers: `r.Get(pattern, handler)` registers a route, it does not call one. */
  routerTypes: RegExp;
  routerConstructors: RegExp;
  /** Receiver names that are routers when nothing else is known. */
  routerNames: RegExp;
  /** Types and receiver names whose `Get(key)` is a lookup (url.Values, http.Header, maps, caches). */
  lookupTypes: RegExp;
  lookupNames: RegExp;
  /** Packages whose functions are never client calls (test servers, HTTP mocks, logging). */
  notClientPackages: readonly string[];
  /** Names of the user's own request helpers (`c.get(ctx, path)`, `c.doRequest(…)`, `pc.call(…)`). */
  wrapperNames: RegExp;
  /** Names that are never request helpers, even with a verb argument (logging, mocks, routes, assertions). */
  notHttpNames: RegExp;
  /** Calls that send a request built earlier (`client.Do(req)`): their loop and retry count for the request. */
  senderNames: RegExp;
}

export const goHttp: GoHttpIdioms = {
  requestPackages: ['net/http', 'github.com/hashicorp/go-retryablehttp'],
  builderPackages: [/(?:^|\/)go-resty\/resty(?:\/|$)/, /^gopkg\.in\/resty\./, /(?:^|\/)imroc\/req(?:\/|$)/],
  builderStarts: ['R', 'NewRequest'],
  baseUrlSetters: ['SetBaseURL', 'SetHostURL', 'SetBaseUrl'],
  querySetters: {
    key: ['SetQueryParam', 'AddQueryParam'],
    map: ['SetQueryParams', 'AddQueryParams'],
    values: ['SetQueryParamsFromValues', 'SetQueryParamsFromStruct'],
    text: ['SetQueryString'],
  },
  bodySetters: ['SetBody', 'SetBodyJsonMarshal', 'SetJSONBody'],
  clientTypes: /^\*?(?:http|retryablehttp)\.Client$/,
  clientConstructors: /^(?:retryablehttp\.NewClient|[\w.]+\.StandardClient|cleanhttp\.DefaultClient|cleanhttp\.DefaultPooledClient)$/,
  builderTypes: /^\*?(?:resty|req)\.Request$/,
  routerTypes: /^\*?(?:chi\.Router|chi\.Mux|gin\.Engine|gin\.RouterGroup|gin\.IRouter|gin\.IRoutes|echo\.Echo|echo\.Group|mux\.Router|http\.ServeMux|fiber\.App|fiber\.Router|httprouter\.Router)$/,
  routerConstructors: /^(?:chi\.NewRouter|chi\.NewMux|gin\.Default|gin\.New|echo\.New|mux\.NewRouter|http\.NewServeMux|fiber\.New|httprouter\.New|[\w.]+\.Group|[\w.]+\.Route|[\w.]+\.PathPrefix)$/,
  routerNames: /^(?:r|e|g|rg|mux|router|engine|app|srv|server|group|grp|routes)$/i,
  lookupTypes: /^(?:\*?url\.Values|\*?http\.Header|map\[|\*?sync\.Map|\*?lru\.|\*?cache\.|\*?redis\.|\*?bigcache\.|\*?ristretto\.|\*?viper\.|\*?gin\.Context|\*?echo\.Context|\*?fiber\.Ctx)/,
  lookupNames: /(?:cache|store|values|query|params|header|headers|env|config|cfg|conf|viper|settings|registry|lookup|ctx|context|session|cookies|form|vars|kv|redis|rdb|memo)$/i,
  notClientPackages: ['httptest', 'gock', 'httpmock', 'log', 'slog', 'fmt', 'errors', 'testing', 'assert', 'require', 'zap', 'logrus', 'klog', 'glog'],
  wrapperNames: /[Rr]equest|[Ff]etch|[Hh]ttp|HTTP|[Aa]pi|API|[Cc]all|[Ii]nvoke|[Ss]end|[Cc]lient|[Pp]artner|[Jj]son|JSON|^[Dd]o(?:[A-Z_]|$)|^(?:[Gg]et|[Pp]ost|[Pp]atch|[Pp]ut|[Hh]ead)(?:[A-Z_]|$)/,
  notHttpNames: /[Ll]og|LOG|[Pp]rint|[Dd]ebug|[Ii]nfo|[Ww]arn|[Ee]rror|[Ff]atal|[Pp]anic|[Tt]race|[Aa]ssert|[Ee]qual|[Ee]xpect|[Ff]ormat|[Oo]bserve|[Rr]ecord|[Mm]etric|[Mm]ock|[Ss]tub|[Rr]espond|[Rr]egister|[Hh]andle|[Rr]oute|[Mm]ount|[Cc]ache|^(?:t|it|describe)$|^(?:[Ss]et|[Aa]dd|[Dd]el|[Hh]as|[Ii]s|[Mm]ust|[Pp]arse|[Mm]atch|[Gg]roup|[Mm]ethod|[Ww]ith)(?:[A-Z_]|$)/,
  senderNames: /^(?:[Dd]o|[Ss]end|RoundTrip|[Ee]xec(?:ute)?)(?:[A-Z_]|$)/,
};
