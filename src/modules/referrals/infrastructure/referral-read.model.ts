import { Inject, Injectable } from '@nestjs/common';
import { TransactionHost } from '../../../platform/database/transaction.js';
import type { ReferralStats, ReferralStatus, ReferralView } from '#libs/contracts/index.js';
import type { Db } from '../../../platform/database/transaction.js';
import { Prisma, type Referral as ReferralRow } from '../../../platform/database/generated/client.js';
import { decodeCursor, encodeCursor } from '../application/referral-cursor.js';

export const REFERRAL_STATUSES: readonly ReferralStatus[] = [
  'pending',
  'active',
  'qualified',
  'rewarded',
  'expired',
  'cancelled',
  'flagged',
  'rejected',
];

export interface ReferralListFilter {
  status?: ReferralStatus;
  /** Case-insensitive substring of the referred customer's name or email. */
  q?: string;
  limit: number;
  cursor?: string;
}

/** Reads skip the aggregate: straight from SQL into the response shapes. */
@Injectable()
export class ReferralReadModel {
  constructor(@Inject(TransactionHost) private readonly db: Db) {}

  /**
   * One referrer's referrals, newest first, keyset-paginated on (referred_at, id) — served by
   * the (referrer_id, referred_at, id) index, or (referrer_id, status, referred_at, id) with a status.
   */
  async listOfReferrer(referrerId: string, filter: ReferralListFilter): Promise<{ items: ReferralView[]; nextCursor: string | null }> {
    const after = filter.cursor ? decodeCursor(filter.cursor) : undefined;
    const conditions: Prisma.Sql[] = [Prisma.sql`referrer_id = ${referrerId}`];
    if (filter.status) conditions.push(Prisma.sql`status = ${filter.status}`);
    if (filter.q) {
      const pattern = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      conditions.push(Prisma.sql`(referred_name ILIKE ${pattern} OR referred_email ILIKE ${pattern})`);
    }
    if (after) conditions.push(Prisma.sql`(referred_at, id) < (${after.referredAt}::timestamptz, ${after.id}::uuid)`);
    const ids = await this.db.tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM referrals WHERE ${Prisma.join(conditions, ' AND ')}
      ORDER BY referred_at DESC, id DESC LIMIT ${filter.limit + 1}`;
    const page = ids.slice(0, filter.limit);
    if (page.length === 0) return { items: [], nextCursor: null };
    const rows = await this.db.tx.referral.findMany({
      where: { id: { in: page.map((r) => r.id) } },
      orderBy: [{ referredAt: 'desc' }, { id: 'desc' }],
    });
    const last = rows[rows.length - 1];
    return {
      items: rows.map(toView),
      nextCursor: ids.length > filter.limit && last ? encodeCursor({ referredAt: last.referredAt, id: last.id }) : null,
    };
  }

  async byIds(ids: string[]): Promise<ReferralView[]> {
    const valid = ids.filter((id) => /^[0-9a-f-]{36}$/i.test(id));
    if (valid.length === 0) return [];
    const rows = await this.db.tx.referral.findMany({ where: { id: { in: valid } }, orderBy: [{ referredAt: 'desc' }, { id: 'desc' }] });
    return rows.map(toView);
  }

  /** Counts by public state: one GROUP BY over the (referrer_id, status, …) index. */
  async stats(referrerId: string): Promise<ReferralStats> {
    const rows = await this.db.tx.$queryRaw<{ status: ReferralStatus; n: bigint }[]>`
      SELECT status, count(*) AS n FROM referrals WHERE referrer_id = ${referrerId} GROUP BY status`;
    const stats: ReferralStats = {
      total: 0,
      pending: 0,
      active: 0,
      qualified: 0,
      rewarded: 0,
      expired: 0,
      cancelled: 0,
      flagged: 0,
      rejected: 0,
    };
    for (const r of rows) {
      const n = Number(r.n);
      stats[r.status] = n;
      stats.total += n;
    }
    return stats;
  }
}

export function toView(row: ReferralRow): ReferralView {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    id: row.id,
    referrerId: row.referrerId,
    referredId: row.referredId,
    referredName: row.referredName,
    referredEmail: row.referredEmail,
    code: row.code,
    source: row.source,
    status: row.status as ReferralStatus,
    lifecycle: row.lifecycle,
    review: row.review as ReferralView['review'],
    serviceId: row.serviceId,
    referredAt: row.referredAt.toISOString(),
    activatedAt: iso(row.activatedAt),
    qualifiedAt: iso(row.qualifiedAt),
    expiredAt: iso(row.expiredAt),
    cancelledAt: iso(row.cancelledAt),
    rejectedAt: iso(row.rejectedAt),
    rewardedAt: iso(row.rewardedAt),
    rewardId: row.rewardId,
  };
}
