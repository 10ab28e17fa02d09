/**
 * Retries on 5xx, `SlowDown`/throttling and network errors, with exponential backoff and full jitter.
 * Unlike the SDK's standard strategy it has no shared retry quota: a publish of thousands of files over
 * a flaky home connection must not run out of retries halfway.
 */
import type { RetryErrorInfo, RetryStrategyV2, RetryToken } from '@smithy/types';

export interface RetryOptions {
  /** Attempts per request, the first included. */
  maxAttempts: number;
  /** First backoff ceiling in ms; doubles per attempt. */
  baseDelayMs?: number;
  /** Ceiling for any one wait, in ms. */
  maxDelayMs?: number;
  /** Source of randomness in [0, 1), for deterministic tests. */
  random?: () => number;
  /** Told of every retry (for `--debug` and counting). */
  onRetry?: (info: { attempt: number; delayMs: number; errorType: string; error: unknown }) => void;
}

const RETRYABLE = new Set(['TRANSIENT', 'THROTTLING', 'SERVER_ERROR']);

export class PatientRetryStrategy implements RetryStrategyV2 {
  readonly mode = 'fleuron-patient';
  private readonly options: Required<Omit<RetryOptions, 'onRetry'>> & Pick<RetryOptions, 'onRetry'>;

  constructor(options: RetryOptions) {
    this.options = { baseDelayMs: 100, maxDelayMs: 10_000, random: Math.random, ...options };
  }

  async acquireInitialRetryToken(): Promise<RetryToken> {
    return token(0, 0);
  }

  async refreshRetryTokenForRetry(previous: RetryToken, errorInfo: RetryErrorInfo): Promise<RetryToken> {
    const attempt = previous.getRetryCount() + 1;
    if (!RETRYABLE.has(errorInfo.errorType) || attempt >= this.options.maxAttempts) throw errorInfo.error;
    // Throttling gets a higher floor: the server asked us to slow down.
    const base = errorInfo.errorType === 'THROTTLING' ? this.options.baseDelayMs * 5 : this.options.baseDelayMs;
    const ceiling = Math.min(this.options.maxDelayMs, base * 2 ** (attempt - 1));
    const hinted = errorInfo.retryAfterHint ? errorInfo.retryAfterHint.getTime() - Date.now() : 0;
    const delayMs = Math.max(Math.round(this.options.random() * ceiling), Math.min(hinted, this.options.maxDelayMs));
    this.options.onRetry?.({ attempt, delayMs, errorType: errorInfo.errorType, error: errorInfo.error });
    return token(attempt, delayMs);
  }

  recordSuccess(): void {}
}

function token(count: number, delay: number): RetryToken {
  return { getRetryCount: () => count, getRetryDelay: () => delay };
}
