import { Inject, Injectable } from '@nestjs/common';
import { Db } from '../../../platform/database/db.js';
import type { ReferralStats, ReferralStatus } from '#libs/contracts/index.js';
import { joinSql, sql } from '../../../platform/database/sql.js';
import { decodeCursor, encodeCursor } from '../application/referral-cursor.js';
import { ReferralReadModel, type MyReferralRows } from '../application/ports/referral-read.model.js';

/** The customer app's reads (the hottest): straight from SQL into the response shapes, one statement each. */
@Injectable()
export class SqlReferralReadModel implements ReferralReadModel {
  constructor(@Inject(Db) private readonly db: Db) {}

  /**
   * The customer app's page: the referrer's referrals (keyset on (referred_at, id), newest first)
   * and their counts by state, in ONE statement — the hottest customer read.
   */
  async customerPage(
    referrerId: string,
    filter: { status?: ReferralStatus; limit: number; cursor?: string },
  ): Promise<MyReferralRows> {
    const after = filter.cursor ? decodeCursor(filter.cursor) : undefined;
    const conditions = [sql`r.referrer_id = ${referrerId}`];
    if (filter.status) conditions.push(sql`r.status = ${filter.status}`);
    if (after) conditions.push(sql`(r.referred_at, r.id) < (${after.referredAt}::timestamptz, ${after.id}::uuid)`);
    const row = await this.db.one<{ items: PageRow[] | null; stats: Record<string, number> | null }>(sql`
      WITH page AS (
        SELECT r.id, r.referred_name, r.referred_email, r.status,
               to_char(r.referred_at AT TIME ZONE 'UTC', ${ISO_MS}) AS referred_at,
               to_char(r.activated_at AT TIME ZONE 'UTC', ${ISO_MS}) AS activated_at,
               to_char(r.qualified_at AT TIME ZONE 'UTC', ${ISO_MS}) AS qualified_at,
               to_char(r.service_interrupted_at AT TIME ZONE 'UTC', ${ISO_MS}) AS service_interrupted_at,
               r.status_reason
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
        serviceInterruptedAt: r.service_interrupted_at,
        statusReason: r.status_reason,
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
    const rows = await this.db.query<{ status: ReferralStatus; n: number }>(sql`
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
  service_interrupted_at: string | null;
  status_reason: string | null;
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
