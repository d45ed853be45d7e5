/**
 * When the server process dies, should it be restarted? vscode-languageclient asks the error handler;
 * this is the decision, kept free of `vscode` so it can be unit tested. A server that keeps crashing is
 * given up after `maxCrashes` crashes within `windowMs` (a crash loop helps nobody and floods the output).
 */
export type CrashDecision =
  /** Restart; `first` is true for the first crash of the session (the user is told once). */
  | { action: 'restart'; first: boolean }
  /** Stop restarting; the user is told once, with a way to restart by hand. */
  | { action: 'give-up'; crashes: number };

export class CrashPolicy {
  private crashes: number[] = [];
  private told = false;

  constructor(
    readonly maxCrashes = 5,
    readonly windowMs = 3 * 60_000,
  ) {}

  /** Records a crash at `now` (ms) and decides. */
  onCrash(now: number): CrashDecision {
    this.crashes = this.crashes.filter((t) => now - t < this.windowMs);
    this.crashes.push(now);
    if (this.crashes.length >= this.maxCrashes) return { action: 'give-up', crashes: this.crashes.length };
    const first = !this.told;
    this.told = true;
    return { action: 'restart', first };
  }

  /** Forgets past crashes (after a restart by hand, the user starts afresh). */
  reset(): void {
    this.crashes = [];
    this.told = false;
  }
}
