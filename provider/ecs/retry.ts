// Backoff with full jitter for calls that are safe to repeat. Which errors are safe is the caller's
// decision (see errors.ts): reads and settings writes retry on throttling, 5xx and lost answers;
// a charging call retries only with the same ClientToken.

export interface RetryOptions {
  /** Attempts in all, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /**
   * Decides whether an error may be retried, and may ask for a minimum wait (e.g. x-acs-retry-after).
   * Throttling, or an order still processing, is not a failure of the call, only of its timing (`timing`):
   * it is retried beyond `attempts`, for up to `timingBudgetMs`, so a large stack under a rate limit slows
   * down instead of failing.
   */
  retryable: (error: unknown) => { retry: boolean; minDelayMs?: number; timing?: boolean };
  timingBudgetMs?: number;
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function withRetry<T>(call: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const wait = options.sleep ?? sleep;
  const random = options.random ?? Math.random;
  const started = Date.now();
  let failures = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call(attempt);
    } catch (error) {
      const verdict = options.retryable(error);
      if (!verdict.retry) throw error;
      if (verdict.timing) {
        if (Date.now() - started > (options.timingBudgetMs ?? 180_000)) throw error;
      } else if (++failures >= options.attempts) throw error;
      const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.min(attempt - 1, 16));
      const delay = Math.max(verdict.minDelayMs ?? 0, Math.round(random() * ceiling));
      options.onRetry?.(error, attempt, delay);
      await wait(delay);
    }
  }
}

/** A counting semaphore: bounds concurrent API calls per region. */
export class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    // A finishing task hands its slot straight to the next waiter, so the count never overshoots.
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
