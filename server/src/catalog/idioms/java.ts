import type { HttpMethod } from '../operations';
import { LanguageIdioms, RetryMethod } from './types';

function methods(names: readonly string[], receiver: RegExp): RetryMethod[] {
  return names.map((method) => ({ method, receiver }));
}

/**
 * Java: the Partner Center SDK (com.microsoft.store.partnercenter), java.net.http, OkHttp, Apache HttpClient 4/5,
 * Spring RestTemplate / RestClient / WebClient, JAX-RS clients, HttpURLConnection, Feign, Retrofit, Spring HTTP
 * interfaces; retries with resilience4j, Failsafe, Spring Retry, MicroProfile Fault Tolerance, Reactor.
 */
export const javaIdioms: LanguageIdioms = {
  // Callee names that run their callback (or the chain before them) under a retry, whatever the receiver:
  // our helper, Reactor `.retryWhen(Retry.backoff(…))` / `.retry(3)`, resilience4j `Decorators…withRetry(retry)`.
  retryWrappers: ['retry', 'retryWhen', 'withRetry', 'executeWithRetry', 'callWithRetry', 'doWithRetry'],
  retryMethods: [
    // resilience4j `Retry.decorateSupplier(retry, () -> …)` (CircuitBreaker.decorateSupplier is no retry)
    ...methods(
      ['decorateSupplier', 'decorateCallable', 'decorateCheckedSupplier', 'decorateRunnable', 'decorateCheckedRunnable', 'decorateFunction', 'decorateCheckedFunction', 'decorateCompletionStage', 'decorateFuture'],
      /(?:^|\.)Retry$/,
    ),
    // resilience4j `retry.executeSupplier(() -> …)`, `retryRegistry.retry("pc").executeCallable(…)`
    ...methods(['executeSupplier', 'executeCallable', 'executeCheckedSupplier', 'executeRunnable', 'executeCheckedRunnable', 'executeCompletionStage'], /retry/i),
    // Failsafe `Failsafe.with(retryPolicy).get(() -> …)` (the receiver may be a FailsafeExecutor variable)
    ...methods(['get', 'run', 'getAsync', 'runAsync', 'getStageAsync', 'getAsyncExecution', 'runAsyncExecution'], /\bFailsafe\s*\.\s*with\b/),
    // Spring Retry `retryTemplate.execute(ctx -> …)`
    { method: 'execute', receiver: /retry/i },
  ],
  // resilience4j / MicroProfile `@Retry`, Spring and Micronaut `@Retryable`, on the method or its class.
  retryDecorators: ['Retry', 'Retryable'],
  // Apache HttpClient 5's DefaultHttpRequestRetryStrategy retries 429 honouring Retry-After; Feign's default
  // error decoder turns a response with Retry-After into a RetryableException that Retryer.Default retries.
  fileRetry: [/\bsetRetryStrategy\s{0,20}\(\s{0,20}new\s{1,20}DefaultHttpRequestRetryStrategy\b/, /\.retryer\s{0,20}\(\s{0,20}new\s{1,20}Retryer\.Default\b/],
  iterationCallbacks: [
    'forEach', 'forEachOrdered', 'forEachRemaining', 'replaceAll', 'removeIf',
    'map', 'flatMap', 'mapToObj', 'mapToInt', 'mapToLong', 'mapToDouble', 'mapMulti', 'filter', 'peek',
    'anyMatch', 'allMatch', 'noneMatch', 'takeWhile', 'dropWhile', 'reduce',
    'concatMap', 'flatMapSequential', 'flatMapIterable', 'doOnNext',
  ],
  sdkEvidence: /\bcom\.microsoft\.store\.partnercenter\b|\bIAggregatePartner\b|\bIPartner\b/,
  retryHelper: 'withPartnerCenterRetry',
};

/** An annotation that declares an HTTP call on an interface method (Retrofit, Feign, Spring, Micronaut, MicroProfile). */
export interface ClientAnnotation {
  /** The method, when the annotation names it (`@GET`, `@GetMapping`). */
  method?: HttpMethod;
  /** The attribute that holds the method (`@HTTP(method = "PATCH")`, `@RequestMapping(method = RequestMethod.GET)`). */
  methodAttr?: string;
  /** Feign `@RequestLine("GET /v1/…")`: the method is the first word of the value. */
  methodInValue?: boolean;
  /** JAX-RS `@GET @Path("…")`: the method is a sibling marker annotation. */
  methodFromSibling?: boolean;
  /** Attributes that hold the path (the unnamed argument is `value`). */
  pathAttrs: readonly string[];
  /** Server frameworks use the same annotation: it declares a call only inside a type annotated with one of these. */
  onlyIn?: readonly string[];
}

/** Per-library names for the Java adapter (the adapter's code knows the shapes; the names are here). */
export const javaLibraries = {
  sdk: {
    /**
     * Declared types of the SDK's operation interfaces and the normalised chain they stand for: a parameter
     * `ISubscription sub` makes `sub.getAddOns().get()` the chain `customers.byid.subscriptions.byid.addons.get`.
     * Any other declared type (a model `Customer`, an `IOffer`) stops a partial chain from matching.
     */
    types: {
      IAggregatePartner: '',
      IPartner: '',
      ICustomerCollection: 'customers',
      ICustomer: 'customers.byid',
      ISubscriptionCollection: 'customers.byid.subscriptions',
      ISubscription: 'customers.byid.subscriptions.byid',
      ISubscriptionAddOnCollection: 'customers.byid.subscriptions.byid.addons',
      ISubscriptionRegistrationStatus: 'customers.byid.subscriptions.byid.registrationstatus',
      ISubscriptionConversionCollection: 'customers.byid.subscriptions.byid.conversions',
      IOrderCollection: 'customers.byid.orders',
      IOrderCollectionByBillingCycleType: 'customers.byid.orders.bybillingcycletype',
      IOrder: 'customers.byid.orders.byid',
      IOrderProvisioningStatus: 'customers.byid.orders.byid.provisioningstatus',
      IProductUpgradeCollection: 'productupgrades',
      IProductUpgrade: 'productupgrades.byid',
      ICustomerAgreementCollection: 'customers.byid.agreements',
      IAgreementDetailsCollection: 'agreementdetails',
    } as Readonly<Record<string, string>>,
    /** The package of the SDK's model classes (an `Agreement` imported from elsewhere is not the SDK's). */
    packagePrefix: 'com.microsoft.store.partnercenter.',
    /** Calls that only read an object they are given (logging, printing), so the object does not escape. */
    readOnlyCalls: /^(?:log|trace|debug|info|warn|warning|error|fine|finer|finest|severe|print|println|printf|format|write|writeObject|writeValueAsString|toJson|display|show|dump|assert\w*|requireNonNull)$/,
  },
  http: {
    /** Apache HttpClient request classes named after their method: `new HttpGet(url)`. */
    requestClasses: {
      HttpGet: 'GET', HttpPost: 'POST', HttpPatch: 'PATCH', HttpPut: 'PUT', HttpDelete: 'DELETE', HttpHead: 'HEAD', HttpOptions: 'OPTIONS',
    } as Readonly<Record<string, HttpMethod>>,
    /** Request classes built from (method, url): Apache 5 `new HttpUriRequestBase("PATCH", uri)`. */
    methodUrlClasses: ['HttpUriRequestBase', 'BasicClassicHttpRequest', 'BasicHttpRequest', 'BasicRequestBuilder'],
    /**
     * Classes whose verb-named static methods take the URL (`ClassicRequestBuilder.get(url)`, Unirest, Apache
     * fluent `Request.get(url)`, Micronaut `HttpRequest.GET(url)`, Spring `RequestEntity.get(url)`) and whose
     * `create(method, url)` / `method(method, url)` take both.
     */
    verbFactories: ['ClassicRequestBuilder', 'SimpleRequestBuilder', 'AsyncRequestBuilder', 'RequestBuilder', 'Unirest', 'Request', 'HttpRequest', 'RequestEntity', 'MutableHttpRequest'],
    /** java.net.http: `HttpRequest.newBuilder(uri)`; the builder's URL step and default method. */
    jdkBuilder: { factoryClass: 'HttpRequest', factory: 'newBuilder' },
    /** OkHttp: `new Request.Builder()`. */
    okhttpBuilder: 'Request.Builder',
    /** Request builder steps that set the URL. */
    urlSteps: ['uri', 'url', 'setUri', 'setUrl'],
    /** Spring RestTemplate / RestOperations: method, index of the body argument, index of the first URI variable. */
    restTemplate: {
      getForObject: { method: 'GET', vars: 2 },
      getForEntity: { method: 'GET', vars: 2 },
      headForHeaders: { method: 'HEAD', vars: 1 },
      optionsForAllow: { method: 'OPTIONS', vars: 1 },
      postForObject: { method: 'POST', body: 1, vars: 3 },
      postForEntity: { method: 'POST', body: 1, vars: 3 },
      postForLocation: { method: 'POST', body: 1, vars: 2 },
      patchForObject: { method: 'PATCH', body: 1, vars: 3 },
      put: { method: 'PUT', body: 1, vars: 2, receiver: true },
      delete: { method: 'DELETE', vars: 1, receiver: true },
      exchange: { methodArg: 1, body: 2, vars: 4 },
      execute: { methodArg: 1, vars: 4 },
    } as Readonly<Record<string, { method?: HttpMethod; methodArg?: number; body?: number; vars: number; receiver?: boolean }>>,
    /** What a RestTemplate is called (for the generic names `put` and `delete`). */
    restTemplateReceiver: /rest|template/i,
    /** Client objects whose verb-named methods take the URL (`partnerCenterClient.get(url)`, Vert.x `getAbs(url)`). */
    clientReceiver: /client|http|rest|api|partner|proxy|gateway/i,
    /** Receivers whose `get(key)` / `put(key, v)` is a lookup, not a request. */
    lookupReceiver: /(?:map|cache|store|registry|lookup|props|properties|config|configuration|env|headers|params|cookies|session|context|ctx|attributes|metrics|counters|timers|stats|index|table|set|list|queue)$/i,
    /** Request helpers of the user's own, by name (`sendRequest(HttpMethod.PATCH, url)`, `callPartnerCenter("GET", url)`). */
    helperName: /request|call|send|execute|invoke|http|fetch|api|rest|partner/i,
    notHelperName: /log|print|trace|debug|info|warn|error|assert|format|cache|metric|put|set[A-Z]|add[A-Z]|append|parse|encode|decode|join|split|replace|match|equals|contains|startsWith|endsWith|valueOf|redirect|forward|route|render|navigate/,
    /** JAX-RS client: `client.target(url).path(p).request().get()`. */
    jaxrs: { target: 'target', request: 'request' },
    /** HttpURLConnection: `new URL(u).openConnection()`, `setRequestMethod("PATCH")`. */
    connection: { open: 'openConnection', setMethod: 'setRequestMethod', overrideHeader: 'X-HTTP-Method-Override' },
    /** Builders mutated statement by statement before they are read (`sb.append(…); … sb.toString()`). */
    mutableBuilders: ['StringBuilder', 'StringBuffer', 'URIBuilder', 'UriComponentsBuilder', 'ServletUriComponentsBuilder', 'UriBuilder', 'HttpUrl.Builder', 'DefaultUriBuilderFactory'],
    /** Static URL builder factories: `UriComponentsBuilder.fromHttpUrl(base)`, `UriBuilder.fromUri(base)`, `HttpUrl.parse(url)`. */
    urlFactories: {
      UriComponentsBuilder: ['fromHttpUrl', 'fromUriString', 'fromPath', 'fromUri', 'newInstance'],
      ServletUriComponentsBuilder: ['fromHttpUrl', 'fromUriString', 'fromPath', 'fromUri'],
      UriBuilder: ['fromUri', 'fromPath', 'fromUriString'],
      HttpUrl: ['parse', 'get'],
      URI: ['create'],
    } as Readonly<Record<string, readonly string[]>>,
    /** Where a client's base URL is set: `WebClient.builder().baseUrl(b)`, `RestTemplateBuilder.rootUri(b)`, `WebClient.create(b)`. */
    baseUrlSteps: ['baseUrl', 'rootUri'],
    baseUrlFactories: ['WebClient', 'RestClient'],
    /** The map of URI variables Spring expands: `Map.of("customerId", id)`. */
    mapFactories: ['Map.of', 'ImmutableMap.of', 'Map.ofEntries'],
    /** Body wrappers whose argument is the body: `BodyPublishers.ofString(json)`, `new StringEntity(json)`. */
    bodyWrappers: ['ofString', 'ofByteArray', 'writeValueAsString', 'writeValueAsBytes', 'toJson', 'json', 'entity', 'create', 'fromValue', 'just', 'StringEntity', 'HttpEntity', 'ByteArrayEntity', 'Entity'],
  },
  annotations: {
    /** Retrofit, Spring HTTP interfaces, Feign, Spring Cloud OpenFeign, Micronaut, MicroProfile Rest Client. */
    calls: {
      GET: { method: 'GET', pathAttrs: ['value'] },
      POST: { method: 'POST', pathAttrs: ['value'] },
      PUT: { method: 'PUT', pathAttrs: ['value'] },
      PATCH: { method: 'PATCH', pathAttrs: ['value'] },
      DELETE: { method: 'DELETE', pathAttrs: ['value'] },
      HEAD: { method: 'HEAD', pathAttrs: ['value'] },
      OPTIONS: { method: 'OPTIONS', pathAttrs: ['value'] },
      HTTP: { methodAttr: 'method', pathAttrs: ['path'] },
      GetExchange: { method: 'GET', pathAttrs: ['value', 'url'] },
      PostExchange: { method: 'POST', pathAttrs: ['value', 'url'] },
      PutExchange: { method: 'PUT', pathAttrs: ['value', 'url'] },
      PatchExchange: { method: 'PATCH', pathAttrs: ['value', 'url'] },
      DeleteExchange: { method: 'DELETE', pathAttrs: ['value', 'url'] },
      HttpExchange: { methodAttr: 'method', pathAttrs: ['value', 'url'] },
      RequestLine: { methodInValue: true, pathAttrs: ['value'] },
      GetMapping: { method: 'GET', pathAttrs: ['value', 'path'], onlyIn: ['FeignClient'] },
      PostMapping: { method: 'POST', pathAttrs: ['value', 'path'], onlyIn: ['FeignClient'] },
      PutMapping: { method: 'PUT', pathAttrs: ['value', 'path'], onlyIn: ['FeignClient'] },
      PatchMapping: { method: 'PATCH', pathAttrs: ['value', 'path'], onlyIn: ['FeignClient'] },
      DeleteMapping: { method: 'DELETE', pathAttrs: ['value', 'path'], onlyIn: ['FeignClient'] },
      RequestMapping: { methodAttr: 'method', pathAttrs: ['value', 'path'], onlyIn: ['FeignClient'] },
      Get: { method: 'GET', pathAttrs: ['value', 'uri'], onlyIn: ['Client'] },
      Post: { method: 'POST', pathAttrs: ['value', 'uri'], onlyIn: ['Client'] },
      Put: { method: 'PUT', pathAttrs: ['value', 'uri'], onlyIn: ['Client'] },
      Patch: { method: 'PATCH', pathAttrs: ['value', 'uri'], onlyIn: ['Client'] },
      Delete: { method: 'DELETE', pathAttrs: ['value', 'uri'], onlyIn: ['Client'] },
      Path: { methodFromSibling: true, pathAttrs: ['value'], onlyIn: ['RegisterRestClient'] },
    } as Readonly<Record<string, ClientAnnotation>>,
    /** Type-level annotations: the client's base URL and base path (`@FeignClient(url = "…", path = "/v1")`). */
    clientBase: {
      FeignClient: ['url', 'path'],
      RegisterRestClient: ['baseUri'],
      Client: ['value', 'path'],
      HttpExchange: ['value', 'url'],
      RequestMapping: ['value', 'path'],
      Path: ['value'],
    } as Readonly<Record<string, readonly string[]>>,
    /** Parameter annotations that add a query parameter (`@Query("agreementType") String type`). */
    queryParams: ['Query', 'RequestParam', 'QueryParam', 'QueryValue'],
    /** Parameter annotations that add query parameters we cannot see. */
    queryMaps: ['QueryMap', 'SpringQueryMap', 'BeanParam', 'QueryName'],
    /** Parameter annotations that carry the request body. */
    bodies: ['Body', 'RequestBody'],
  },
  loops: {
    /** Stream operations that iterate only on a stream (`Optional.map` and `Mono.map` run once). */
    streamOperations: ['map', 'flatMap', 'mapToObj', 'mapToInt', 'mapToLong', 'mapToDouble', 'mapMulti', 'filter', 'peek', 'anyMatch', 'allMatch', 'noneMatch', 'takeWhile', 'dropWhile', 'reduce', 'concatMap', 'flatMapSequential', 'flatMapIterable', 'doOnNext'],
    /** What makes a receiver a stream: `list.stream()`, `IntStream.range(…)`, `Flux.fromIterable(…)`. */
    streamSources: ['stream', 'parallelStream', 'range', 'rangeClosed', 'iterate', 'generate', 'fromIterable', 'fromArray', 'fromStream', 'interval', 'parallel', 'boxed', 'chars', 'lines', 'entrySet', 'keySet', 'values'],
    streamClasses: ['Stream', 'IntStream', 'LongStream', 'DoubleStream', 'Arrays', 'StreamSupport', 'Flux', 'ParallelFlux'],
    /** Callbacks run again and again (polling): `scheduler.scheduleAtFixedRate(() -> …, 0, 5, MINUTES)`. */
    repeating: ['scheduleAtFixedRate', 'scheduleWithFixedDelay'],
    /** Spring `@Scheduled(fixedRate = …)` / `fixedDelay`: the method polls. */
    pollingAnnotation: { name: 'Scheduled', attrs: ['fixedRate', 'fixedDelay', 'fixedRateString', 'fixedDelayString'] },
  },
} as const;
