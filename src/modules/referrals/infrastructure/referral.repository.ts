import { Inject, Injectable } from '@nestjs/common';
import { sql, type SqlStatement } from '../../../platform/database/sql.js';
import { BusinessDate } from '#libs/ddd/index.js';
import { Db } from '../../../platform/database/db.js';
import {
  lastQualifyingActivatedOn,
  lastStaleReferredOn,
  Referral,
  type HistoryEntry,
  type ReferralLifecycle,
  type ReferralProps,
  type ReferralReview,
  type StatusReason,
} from '../domain/referral.aggregate.js';
import { ReferralRepository, type HistorySource } from '../application/ports/referral.repository.js';

interface ReferralRow {
  id: string;
  referrerId: string;
  referredId: string;
  code: string;
  source: string | null;
  referredName: string;
  referredEmail: string;
  referredAt: Date;
  lifecycle: string;
  review: string;
  serviceId: string | null;
  activatedAt: Date | null;
  serviceInterruptedAt: Date | null;
  qualifiedAt: Date | null;
  expiredAt: Date | null;
  cancelledAt: Date | null;
  rejectedAt: Date | null;
  rewardedAt: Date | null;
  rewardId: string | null;
  statusReason: string | null;
}

/** The select list that rehydrates a Referral. */
const REFERRAL_COLUMNS = sql`
  r.id::text AS id, r.referrer_id AS "referrerId", r.referred_id AS "referredId", r.code, r.source,
  r.referred_name AS "referredName", r.referred_email AS "referredEmail", r.referred_at AS "referredAt",
  r.lifecycle, r.review, r.service_id AS "serviceId", r.activated_at AS "activatedAt",
  r.service_interrupted_at AS "serviceInterruptedAt", r.qualified_at AS "qualifiedAt", r.expired_at AS "expiredAt",
  r.cancelled_at AS "cancelledAt", r.rejected_at AS "rejectedAt", r.rewarded_at AS "rewardedAt",
  r.reward_id::text AS "rewardId", r.status_reason AS "statusReason"`;

/** Loads and saves Referral aggregates through the current transaction. */
@Injectable()
export class SqlReferralRepository implements ReferralRepository {
  constructor(@Inject(Db) private readonly db: Db) {}

  async findById(id: string, opts: { forUpdate?: boolean } = {}): Promise<Referral | null> {
    const row = opts.forUpdate
      ? await this.db.maybeOne<ReferralRow>(
          sql`SELECT ${REFERRAL_COLUMNS} FROM referrals r WHERE r.id = ${id}::uuid FOR UPDATE`,
        )
      : await this.db.maybeOne<ReferralRow>(sql`SELECT ${REFERRAL_COLUMNS} FROM referrals r WHERE r.id = ${id}::uuid`);
    return row ? toAggregate(row) : null;
  }

  /** The referral of a referred customer (at most one), locked for the rest of the transaction. */
  async findByReferredIdForUpdate(referredId: string): Promise<Referral | null> {
    const row = await this.db.maybeOne<ReferralRow>(sql`
      SELECT ${REFERRAL_COLUMNS} FROM referrals r WHERE r.referred_id = ${referredId} FOR UPDATE`);
    return row ? toAggregate(row) : null;
  }

  /**
   * Inserts a new referral unless that customer is already referred (unique referred_id);
   * returns false when someone else got there first, so a customer is referred at most once.
   */
  async insertIfNotReferred(referral: Referral, source: HistorySource = {}): Promise<boolean> {
    const p = referral.snapshot();
    // The row and its history (attributed) in one statement: the attribution path counts round trips.
    const { inserted } = await this.db.one<{ inserted: boolean }>(sql`
      WITH referral AS (
        INSERT INTO referrals (id, referrer_id, referred_id, code, source, referred_name, referred_email,
                               referred_at, referred_on, status, lifecycle, review, updated_at)
        VALUES (${p.id}::uuid, ${p.referrerId}, ${p.referredId}, ${p.code}, ${p.source}, ${p.referredName},
                ${p.referredEmail}, ${p.referredAt}, ${referral.referredOn.toString()}::date, ${referral.status},
                ${p.lifecycle}, ${p.review}, now())
        ON CONFLICT (referred_id) DO NOTHING
        RETURNING id
      ), history AS (${this.historyInsert(
        referral.pullHistory().map((entry) => ({ referralId: p.id, entry })),
        source,
        sql`WHERE EXISTS (SELECT 1 FROM referral)`,
      )})
      SELECT EXISTS (SELECT 1 FROM referral) AS inserted`);
    return inserted;
  }

  async save(referral: Referral, source: HistorySource = {}): Promise<void> {
    await this.saveAll([referral], source);
  }

  /** Writes the state of loaded referrals (locked by this transaction), in one statement. */
  async saveAll(referrals: readonly Referral[], source: HistorySource = {}): Promise<void> {
    if (referrals.length === 0) return;
    const s = referrals.map((r) => ({
      ...r.snapshot(),
      status: r.status,
      activatedOn: r.activatedOn?.toString() ?? null,
    }));
    const iso = (d: Date | null) => d?.toISOString() ?? null;
    const history: { referralId: string; entry: HistoryEntry }[] = [];
    for (const r of referrals) for (const entry of r.pullHistory()) history.push({ referralId: r.id, entry });
    await this.db.execute(sql`
      WITH history AS (${this.historyInsert(history, source, sql``)})
      UPDATE referrals AS r
         SET referred_name = v.referred_name, referred_email = v.referred_email, status = v.status,
             lifecycle = v.lifecycle, review = v.review, service_id = v.service_id, activated_at = v.activated_at,
             activated_on = v.activated_on, service_interrupted_at = v.service_interrupted_at,
             qualified_at = v.qualified_at, expired_at = v.expired_at, cancelled_at = v.cancelled_at,
             rejected_at = v.rejected_at, rewarded_at = v.rewarded_at, reward_id = v.reward_id,
             status_reason = v.status_reason, updated_at = now()
        FROM unnest(${s.map((x) => x.id)}::uuid[], ${s.map((x) => x.referredName)}::text[],
                    ${s.map((x) => x.referredEmail)}::text[], ${s.map((x) => x.status)}::text[],
                    ${s.map((x) => x.lifecycle)}::text[], ${s.map((x) => x.review)}::text[],
                    ${s.map((x) => x.serviceId)}::text[], ${s.map((x) => iso(x.activatedAt))}::timestamptz[],
                    ${s.map((x) => x.activatedOn)}::date[], ${s.map((x) => iso(x.serviceInterruptedAt))}::timestamptz[],
                    ${s.map((x) => iso(x.qualifiedAt))}::timestamptz[], ${s.map((x) => iso(x.expiredAt))}::timestamptz[],
                    ${s.map((x) => iso(x.cancelledAt))}::timestamptz[], ${s.map((x) => iso(x.rejectedAt))}::timestamptz[],
                    ${s.map((x) => iso(x.rewardedAt))}::timestamptz[], ${s.map((x) => x.rewardId)}::uuid[],
                    ${s.map((x) => x.statusReason)}::text[])
             AS v(id, referred_name, referred_email, status, lifecycle, review, service_id, activated_at, activated_on,
                  service_interrupted_at, qualified_at, expired_at, cancelled_at, rejected_at, rewarded_at, reward_id,
                  status_reason)
       WHERE r.id = v.id`);
  }

  /**
   * The INSERT of history entries the aggregates recorded, with where they came from, as a
   * statement to embed in a CTE (so a state change and its history are one round trip).
   */
  private historyInsert(
    rows: { referralId: string; entry: HistoryEntry }[],
    source: HistorySource,
    condition: SqlStatement,
  ): SqlStatement {
    return sql`
      INSERT INTO referral_history (referral_id, at, kind, what, from_status, to_status, source_event_id, run_id, actor, detail)
      SELECT v.referral_id, v.at, v.kind, v.what, v.from_status, v.to_status, ${source.sourceEventId ?? null}::text,
             ${source.runId ?? null}::uuid, ${source.actor ?? null}::text, v.detail
        FROM unnest(${rows.map((x) => x.referralId)}::uuid[], ${rows.map((x) => x.entry.at.toISOString())}::timestamptz[],
                    ${rows.map((x) => x.entry.kind)}::text[], ${rows.map((x) => x.entry.what)}::text[],
                    ${rows.map((x) => x.entry.from)}::text[], ${rows.map((x) => x.entry.to)}::text[],
                    ${rows.map((x) => (x.entry.detail ? JSON.stringify(x.entry.detail) : null))}::jsonb[])
             AS v(referral_id, at, kind, what, from_status, to_status, detail)
       ${condition}`;
  }

  /**
   * Nightly step 1 candidates: the next `limit` pending referrals (after id `after`) whose R+30 has
   * passed by asOf, locked; ones locked by someone else are left for the next run. Keyset on id.
   * The domain decides (Referral.expireIfStale); this only narrows by the date it gives.
   */
  async lockStaleCandidates(asOf: BusinessDate, after: string, limit: number): Promise<Referral[]> {
    const rows = await this.db.query<ReferralRow>(sql`
      SELECT ${REFERRAL_COLUMNS} FROM referrals r
       WHERE r.lifecycle = 'pending' AND r.referred_on <= ${lastStaleReferredOn(asOf).toString()}::date
         AND r.id > ${after}::uuid
       ORDER BY r.id LIMIT ${limit}::int FOR UPDATE SKIP LOCKED`);
    return rows.map(toAggregate);
  }

  /**
   * Nightly step 2 candidates, in two walks each on its own index: active referrals whose service
   * was interrupted by the end of asOf (may be cancelled), and active referrals whose hold ended by
   * asOf (may qualify). The domain decides (Referral.reachHoldEnd).
   */
  async lockHoldCandidates(
    kind: 'interrupted' | 'hold_ended',
    asOf: BusinessDate,
    after: string,
    limit: number,
  ): Promise<Referral[]> {
    const rows =
      kind === 'interrupted'
        ? await this.db.query<ReferralRow>(sql`
            SELECT ${REFERRAL_COLUMNS} FROM referrals r
             WHERE r.lifecycle = 'active' AND r.service_interrupted_at < ${asOf.plusDays(1).startOfDay()}
               AND r.id > ${after}::uuid
             ORDER BY r.id LIMIT ${limit}::int FOR UPDATE SKIP LOCKED`)
        : await this.db.query<ReferralRow>(sql`
            SELECT ${REFERRAL_COLUMNS} FROM referrals r
             WHERE r.lifecycle = 'active' AND r.activated_on <= ${lastQualifyingActivatedOn(asOf).toString()}::date
               AND r.id > ${after}::uuid
             ORDER BY r.id LIMIT ${limit}::int FOR UPDATE SKIP LOCKED`);
    return rows.map(toAggregate);
  }

  /** The referrals consumed by rewards, locked (any state: the domain checks they are qualified). */
  async lockByIds(ids: string[]): Promise<Referral[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.query<ReferralRow>(sql`
      SELECT ${REFERRAL_COLUMNS} FROM referrals r WHERE r.id = ANY(${ids}::uuid[]) ORDER BY r.id FOR UPDATE`);
    return rows.map(toAggregate);
  }
}

export function toAggregate(row: ReferralRow): Referral {
  const props: ReferralProps = {
    ...row,
    lifecycle: row.lifecycle as ReferralLifecycle,
    review: row.review as ReferralReview,
    statusReason: row.statusReason as StatusReason | null,
  };
  return Referral.rehydrate(props);
}
