import type { BillingEventRecord } from '#libs/contracts/index.js';

/** Port: the inbound billing events recorded (id, type, occurredAt). */
export abstract class BillingEventLog {
  abstract find(ids: readonly string[]): Promise<BillingEventRecord[]>;
}
