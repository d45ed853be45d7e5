/**
 * Per-language idioms, as data: what counts as a retry, what iterates, what tells that a file uses the
 * Partner Center SDK. One file per language; the language's adapter reads only its own.
 */
export interface RetryMethod {
  /** Method name (case-insensitive), e.g. `ExecuteAsync`. */
  method: string;
  /** The receiver's source text must match, e.g. /policy|pipeline/i. */
  receiver: RegExp;
}

export interface LanguageIdioms {
  /** Calls that run their callback argument under a retry (`pRetry(() => …)`), by callee name (case-insensitive). */
  retryWrappers: readonly string[];
  /** Methods that run their callback under a retry when called on a matching receiver (Polly `policy.ExecuteAsync`). */
  retryMethods?: readonly RetryMethod[];
  /** Decorators / annotations on the enclosing function or method that retry it (tenacity `@retry`). */
  retryDecorators?: readonly string[];
  /**
   * Text that, anywhere in the file, installs a retry for the file's HTTP calls (axios-retry on the client,
   * urllib3 `Retry` mounted on the session, `AddStandardResilienceHandler`).
   */
  fileRetry?: readonly RegExp[];
  /** Functions and methods whose callback argument runs once per item (`map`, `forEach`, `Select`). */
  iterationCallbacks: readonly string[];
  /** Text that shows the file uses the Partner Center SDK or module (allows chains whose root is a parameter). */
  sdkEvidence?: RegExp;
  /** Name of the retry helper our quick fix inserts; always recognised as a retry wrapper. */
  retryHelper: string;
}
