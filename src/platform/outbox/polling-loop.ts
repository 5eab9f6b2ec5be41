import type { Logger } from '@nestjs/common';

export interface PollingLoopOptions {
  /** Pause between polls that found less than a full batch. */
  intervalMs: number;
  /** Pause after a poll that threw (the database away, say). */
  errorPauseMs: number;
  logger: Logger;
  /** The log line of a failed poll. */
  failure: string;
  /** One poll; true when it came back with a full batch, so the next one starts at once. */
  poll: () => Promise<boolean>;
}

/**
 * The background loop of the workers that claim rows (the outbox relay, the e-mail dispatcher):
 * polls every `intervalMs`, straight away again while batches come back full, pauses after an
 * error, and stops cleanly on shutdown — the timer cleared, the work in flight awaited. Work the
 * owner does outside the loop (a `drain()`) is awaited too when passed through `track`.
 */
export class PollingLoop {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly options: PollingLoopOptions) {}

  /** True once `stop()` was called: a drain in progress ends after its batch. */
  get stopping(): boolean {
    return this.stopped;
  }

  start(): void {
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await Promise.allSettled([...this.inFlight]);
  }

  /** Work that `stop()` waits for. */
  track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work)).catch(() => undefined);
    return work;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), delayMs);
  }

  private async tick(): Promise<void> {
    this.timer = undefined;
    let next = this.options.intervalMs;
    try {
      if (await this.track(this.options.poll())) next = 0;
    } catch (err) {
      this.options.logger.error({ err }, this.options.failure);
      next = this.options.errorPauseMs;
    }
    this.schedule(next);
  }
}
