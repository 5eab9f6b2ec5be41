import { Inject, Injectable } from '@nestjs/common';
import { sql } from '../../../platform/database/sql.js';
import { TransactionHost } from '../../../platform/database/transaction.js';
import type { Db } from '../../../platform/database/transaction.js';
import type { Referral as ReferralRow } from '../../../platform/database/generated/client.js';
import {
  Referral,
  type ReferralLifecycle,
  type ReferralProps,
  type ReferralReview,
} from '../domain/referral.aggregate.js';

/** Loads and saves Referral aggregates through the current transaction. */
@Injectable()
export class PrismaReferralRepository {
  constructor(@Inject(TransactionHost) private readonly db: Db) {}

  async findById(id: string, opts: { forUpdate?: boolean } = {}): Promise<Referral | null> {
    if (opts.forUpdate) {
      await this.db.tx.$queryRaw`SELECT 1 FROM referrals WHERE id = ${id}::uuid FOR UPDATE`;
    }
    const row = await this.db.tx.referral.findUnique({ where: { id } });
    return row ? toAggregate(row) : null;
  }

  /** The referral of a referred customer (at most one), locked for the rest of the transaction. */
  async findByReferredIdForUpdate(referredId: string): Promise<Referral | null> {
    const locked = await this.db.tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM referrals WHERE referred_id = ${referredId} FOR UPDATE`;
    if (locked.length === 0) return null;
    const row = await this.db.tx.referral.findUnique({ where: { id: locked[0]!.id } });
    return row ? toAggregate(row) : null;
  }

  /**
   * Inserts a new referral unless that customer is already referred (unique referred_id);
   * returns false when someone else got there first, so a customer is referred at most once.
   */
  async insertIfNotReferred(referral: Referral): Promise<boolean> {
    const p = referral.snapshot();
    const inserted = await this.db.exec(sql`
      INSERT INTO referrals (id, referrer_id, referred_id, code, source, referred_name, referred_email,
                             referred_at, referred_on, status, lifecycle, review, updated_at)
      VALUES (${p.id}::uuid, ${p.referrerId}, ${p.referredId}, ${p.code}, ${p.source}, ${p.referredName},
              ${p.referredEmail}, ${p.referredAt}, ${referral.referredOn.toString()}::date, ${referral.status},
              ${p.lifecycle}, ${p.review}, now())
      ON CONFLICT (referred_id) DO NOTHING`);
    return inserted === 1;
  }

  async save(referral: Referral): Promise<void> {
    const p = referral.snapshot();
    await this.db.tx.referral.update({
      where: { id: p.id },
      data: {
        referredName: p.referredName,
        referredEmail: p.referredEmail,
        status: referral.status,
        lifecycle: p.lifecycle,
        review: p.review,
        serviceId: p.serviceId,
        activatedAt: p.activatedAt,
        activatedOn: referral.activatedOn?.toDbDate() ?? null,
        serviceInterruptedAt: p.serviceInterruptedAt,
        qualifiedAt: p.qualifiedAt,
        expiredAt: p.expiredAt,
        cancelledAt: p.cancelledAt,
        rejectedAt: p.rejectedAt,
        rewardedAt: p.rewardedAt,
        rewardId: p.rewardId,
        updatedAt: new Date(),
      },
    });
  }
}

export function toAggregate(row: ReferralRow): Referral {
  const props: ReferralProps = {
    id: row.id,
    referrerId: row.referrerId,
    referredId: row.referredId,
    code: row.code,
    source: row.source,
    referredName: row.referredName,
    referredEmail: row.referredEmail,
    referredAt: row.referredAt,
    lifecycle: row.lifecycle as ReferralLifecycle,
    review: row.review as ReferralReview,
    serviceId: row.serviceId,
    activatedAt: row.activatedAt,
    serviceInterruptedAt: row.serviceInterruptedAt,
    qualifiedAt: row.qualifiedAt,
    expiredAt: row.expiredAt,
    cancelledAt: row.cancelledAt,
    rejectedAt: row.rejectedAt,
    rewardedAt: row.rewardedAt,
    rewardId: row.rewardId,
  };
  return Referral.rehydrate(props);
}
