/** Polling: the e2e tests wait for conditions, never for fixed times. */

export interface WaitOptions {
  /** Give up after this many milliseconds. */
  timeout: number;
  /** Poll interval in milliseconds. */
  interval?: number;
  /** What is awaited, for the error message. */
  what: string;
}

/**
 * Calls `probe` until it returns a value other than undefined/false, and returns it; throws with `what`
 * (and the last error the probe threw, if any) when `timeout` passes first.
 */
export async function waitFor<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, opts: WaitOptions): Promise<T> {
  const deadline = Date.now() + opts.timeout;
  const interval = opts.interval ?? 100;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() >= deadline) {
      const detail = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`Timed out after ${opts.timeout} ms waiting for ${opts.what}${detail}`);
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}
