import { RETRY_CAP_MS, retryDelayMs } from './retry-backoff.js';

describe('outbox retry backoff', () => {
  it('waits about a second after the first failed attempt, then doubles', () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000]);
  });

  it('never waits more than ten minutes, however many attempts failed', () => {
    expect(retryDelayMs(10)).toBe(512_000);
    expect(retryDelayMs(11)).toBe(RETRY_CAP_MS);
    expect(retryDelayMs(12)).toBe(600_000);
    expect(retryDelayMs(1_000)).toBe(600_000);
    expect(retryDelayMs(1_000, 0.99)).toBe(600_000);
  });

  it('adds at most ten per cent of jitter', () => {
    expect(retryDelayMs(1, 0.5)).toBe(1_050);
    expect(retryDelayMs(3, 0.999)).toBeLessThanOrEqual(4_400);
    expect(retryDelayMs(3, 0.999)).toBeGreaterThan(4_000);
  });

  it('treats a nonsensical attempt count as the first attempt', () => {
    expect(retryDelayMs(0)).toBe(1_000);
    expect(retryDelayMs(-3)).toBe(1_000);
  });
});
