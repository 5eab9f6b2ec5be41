import { Injectable } from '@nestjs/common';

/**
 * Whether the process is shutting down. main.ts sets it on SIGTERM/SIGINT, before the HTTP
 * server stops accepting: from then on /health/ready answers 503, so a load balancer takes the
 * instance out of rotation while it still serves what is already under way.
 */
@Injectable()
export class ShutdownState {
  private since: Date | undefined;

  begin(at = new Date()): void {
    this.since ??= at;
  }

  get shuttingDown(): boolean {
    return this.since !== undefined;
  }
}
