/** First retry after about a second, doubling each attempt, never more than ten minutes apart (SPEC §9). */
export const RETRY_BASE_MS = 1_000;
export const RETRY_CAP_MS = 10 * 60 * 1_000;
/** Up to +10 % random spread, so events that failed together do not all retry in the same instant. */
export const RETRY_JITTER = 0.1;

/**
 * Delay before the next delivery attempt, after `attempts` attempts have failed (attempts ≥ 1):
 * 1 s, 2 s, 4 s, … capped at 600 s, plus up to 10 % jitter (`jitter` in [0, 1)), still capped.
 */
export function retryDelayMs(attempts: number, jitter = 0): number {
  const n = Math.max(1, Math.floor(attempts));
  // 2^30 s is far past the cap already; clamping the exponent keeps the maths finite.
  const base = RETRY_BASE_MS * 2 ** Math.min(n - 1, 30);
  const spread = Math.min(Math.max(jitter, 0), 1) * RETRY_JITTER;
  return Math.min(RETRY_CAP_MS, Math.round(base * (1 + spread)));
}
