import { Inject, Injectable } from '@nestjs/common';
import { TransactionHost } from '../../../platform/database/transaction.js';
import type { ReferralStats, ReferralStatus, ReferralView } from '#libs/contracts/index.js';
import type { Db } from '../../../platform/database/transaction.js';
import { Prisma, type Referral as ReferralRow } from '../../../platform/database/generated/client.js';
import { joinSql, sql } from '../../../platform/database/sql.js';
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

export interface MyReferralsPage {
  items: {
    id: string;
    referredName: string;
    referredEmail: string;
    status: ReferralStatus;
    referredAt: string;
    activatedAt: string | null;
    qualifiedAt: string | null;
  }[];
  nextCursor: string | null;
  stats: ReferralStats;
}

/** Reads skip the aggregate: straight from SQL into the response shapes. */
@Injectable()
export class ReferralReadModel {
  constructor(@Inject(TransactionHost) private readonly db: Db) {}

  /**
   * One referrer's referrals, newest first, keyset-paginated on (referred_at, id) — served by
   * the (referrer_id, referred_at, id) index, or (referrer_id, status, referred_at, id) with a status.
   */
  async listOfReferrer(
    referrerId: string,
    filter: ReferralListFilter,
  ): Promise<{ items: ReferralView[]; nextCursor: string | null }> {
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
    const rows = await this.db.tx.referral.findMany({
      where: { id: { in: valid } },
      orderBy: [{ referredAt: 'desc' }, { id: 'desc' }],
    });
    return rows.map(toView);
  }

  /**
   * The customer app's page: the referrer's referrals (keyset on (referred_at, id), newest first)
   * and their counts by state, in ONE statement — the hottest customer read.
   */
  async customerPage(
    referrerId: string,
    filter: { status?: ReferralStatus; limit: number; cursor?: string },
  ): Promise<MyReferralsPage> {
    const after = filter.cursor ? decodeCursor(filter.cursor) : undefined;
    const conditions = [sql`r.referrer_id = ${referrerId}`];
    if (filter.status) conditions.push(sql`r.status = ${filter.status}`);
    if (after) conditions.push(sql`(r.referred_at, r.id) < (${after.referredAt}::timestamptz, ${after.id}::uuid)`);
    const [row] = await this.db.sql<{ items: PageRow[] | null; stats: Record<string, number> | null }>(sql`
      WITH page AS (
        SELECT r.id, r.referred_name, r.referred_email, r.status,
               to_char(r.referred_at AT TIME ZONE 'UTC', ${ISO_MS}) AS referred_at,
               to_char(r.activated_at AT TIME ZONE 'UTC', ${ISO_MS}) AS activated_at,
               to_char(r.qualified_at AT TIME ZONE 'UTC', ${ISO_MS}) AS qualified_at
          FROM referrals r WHERE ${joinSql(conditions, ' AND ')}
         ORDER BY r.referred_at DESC, r.id DESC LIMIT ${filter.limit + 1}::int),
      counts AS (SELECT status, count(*)::int AS n FROM referrals WHERE referrer_id = ${referrerId} GROUP BY status)
      SELECT (SELECT json_agg(page ORDER BY page.referred_at DESC, page.id DESC) FROM page) AS items,
             (SELECT json_object_agg(status, n) FROM counts) AS stats`);
    const rows = row?.items ?? [];
    const pageRows = rows.slice(0, filter.limit);
    const last = pageRows[pageRows.length - 1];
    const stats = emptyStats();
    for (const [status, n] of Object.entries(row?.stats ?? {})) {
      stats[status as ReferralStatus] = n;
      stats.total += n;
    }
    return {
      items: pageRows.map((r) => ({
        id: r.id,
        referredName: r.referred_name,
        referredEmail: r.referred_email,
        status: r.status,
        referredAt: r.referred_at,
        activatedAt: r.activated_at,
        qualifiedAt: r.qualified_at,
      })),
      nextCursor:
        rows.length > filter.limit && last
          ? encodeCursor({ referredAt: new Date(last.referred_at), id: last.id })
          : null,
      stats,
    };
  }

  /** Counts by public state: one GROUP BY over the (referrer_id, status, …) index. */
  async stats(referrerId: string): Promise<ReferralStats> {
    const rows = await this.db.sql<{ status: ReferralStatus; n: number }>(sql`
      SELECT status, count(*)::int AS n FROM referrals WHERE referrer_id = ${referrerId} GROUP BY status`);
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
      const n = r.n;
      stats[r.status] = n;
      stats.total += n;
    }
    return stats;
  }
}

/** ISO-8601 UTC with milliseconds, as `Date.toISOString()` writes it. */
const ISO_MS = 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"';

interface PageRow {
  id: string;
  referred_name: string;
  referred_email: string;
  status: ReferralStatus;
  referred_at: string;
  activated_at: string | null;
  qualified_at: string | null;
}

function emptyStats(): ReferralStats {
  return {
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
