export type RetryOptions = {
  /** Give up once this much time has passed since the first attempt. */
  budgetMs: number;
  firstDelayMs?: number;
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
};

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Retries `fn` with jittered exponential backoff while `retryable(error)` holds and time remains. */
export async function retryWhile<T>(
  fn: () => Promise<T>,
  retryable: (error: unknown) => boolean,
  { budgetMs, firstDelayMs = 500, maxDelayMs = 10_000, sleep = defaultSleep, now = Date.now }: RetryOptions,
): Promise<T> {
  const deadline = now() + budgetMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      const delay = Math.min(maxDelayMs, firstDelayMs * 2 ** attempt) * (0.5 + Math.random() / 2);
      if (!retryable(error) || now() + delay > deadline) throw error;
      await sleep(delay);
    }
  }
}
