import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { sql } from '../../../platform/database/sql.js';
import { Db } from '../../../platform/database/db.js';
import {
  WINDOW_MS,
  type Finding,
  type Rule,
  type Screening,
  type ScreeningOutcome,
  type ScreeningSubject,
} from '../domain/screening.js';
import {
  FraudScreeningRepository,
  type StoredScreening,
  type StoredFinding,
  type RuleInputs,
} from '../application/ports/fraud-screening.repository.js';

/** The Fraud context's ledger (fraud_screenings) and findings (fraud_findings). */
@Injectable()
export class SqlFraudScreeningRepository implements FraudScreeningRepository {
  constructor(@Inject(Db) private readonly db: Db) {}

  /**
   * Serialises screenings that could race on a count: per referrer (MONTHLY_LIMIT, BURST), then
   * per normalised email (DUPLICATE_REFERRAL) and per IP (SHARED_IP). Always taken in this order,
   * and held until the surrounding transaction ends.
   */
  async lockFor(subject: ScreeningSubject): Promise<void> {
    // One round trip; the select list is evaluated left to right, so the order above holds.
    const ip = subject.signupIp ?? null;
    await this.db.query(sql`
      SELECT 1 FROM (
        SELECT pg_advisory_xact_lock(hashtextextended('fraud:' || ${subject.referrerId}::text, 0)) AS referrer,
               pg_advisory_xact_lock(hashtextextended('fraud-email:' || ${subject.emailNormalized}::text, 0)) AS email,
               CASE WHEN ${ip}::text IS NULL THEN NULL
                    ELSE pg_advisory_xact_lock(hashtextextended('fraud-ip:' || ${ip}::text, 0)) END AS ip) AS locks`);
  }

  /**
   * Everything the rules count and compare, from the ledger, in ONE statement (each part on its
   * own index): whether this referral was screened already, the referrer's non-rejected
   * screenings in the SAST month, the referrer's and the IP's screenings in [at − 24 h, at], and
   * the earliest screening of the normalised email.
   */
  async ruleInputs(subject: ScreeningSubject, referredMonth: string): Promise<RuleInputs> {
    const from = new Date(subject.referredAt.getTime() - WINDOW_MS);
    const to = subject.referredAt;
    const ip = subject.signupIp ?? null;
    const row = await this.db.one<{
      screened: boolean;
      in_month: number;
      referrer_window: number;
      ip_window: number;
      earliest: { referralId: string; referrerId: string; referredAt: string } | null;
    }>(sql`
      SELECT EXISTS (SELECT 1 FROM fraud_screenings WHERE referral_id = ${subject.referralId}::uuid) AS screened,
             (SELECT count(*) FROM fraud_screenings
               WHERE referrer_id = ${subject.referrerId} AND referred_month = ${referredMonth} AND outcome <> 'rejected')::int AS in_month,
             (SELECT count(*) FROM fraud_screenings
               WHERE referrer_id = ${subject.referrerId} AND referred_at >= ${from} AND referred_at <= ${to})::int AS referrer_window,
             CASE WHEN ${ip}::text IS NULL THEN 0 ELSE
               (SELECT count(*) FROM fraud_screenings
                 WHERE signup_ip = ${ip}::text AND referred_at >= ${from} AND referred_at <= ${to})::int END AS ip_window,
             (SELECT json_build_object('referralId', referral_id, 'referrerId', referrer_id, 'referredAt', referred_at)
                FROM fraud_screenings WHERE email_normalized = ${subject.emailNormalized}
               ORDER BY referred_at, referral_id LIMIT 1) AS earliest`);
    return {
      screened: row.screened,
      nonRejectedInMonth: row.in_month,
      referrerInWindow: row.referrer_window,
      ipInWindow: row.ip_window,
      earlierSameEmail: row.earliest
        ? {
            referralId: row.earliest.referralId,
            referrerId: row.earliest.referrerId,
            referredAt: new Date(row.earliest.referredAt),
          }
        : null,
    };
  }

  async find(referralId: string): Promise<{ screening: StoredScreening; findings: StoredFinding[] } | null> {
    const row = await this.db.maybeOne<{
      referralId: string;
      referrerId: string;
      outcome: string;
      reviewDecision: string | null;
    }>(sql`
      SELECT referral_id::text AS "referralId", referrer_id AS "referrerId", outcome, review_decision AS "reviewDecision"
        FROM fraud_screenings WHERE referral_id = ${referralId}::uuid`);
    if (!row) return null;
    const findings = await this.findingsOf([referralId]);
    return {
      screening: {
        referralId: row.referralId,
        referrerId: row.referrerId,
        outcome: row.outcome as ScreeningOutcome,
        reviewDecision: row.reviewDecision,
      },
      findings: findings.get(referralId) ?? [],
    };
  }

  async save(screening: Screening): Promise<void> {
    const s = screening.subject;
    // The screening (with every rule's evaluation) and its findings in one statement (the
    // findings' arrays may be empty).
    const f: readonly Finding[] = screening.findings;
    await this.db.execute(sql`
      WITH screening AS (
        INSERT INTO fraud_screenings (referral_id, referrer_id, referred_id, referred_at, referred_month, email_normalized,
                                      signup_ip, outcome, rule_evaluations)
        VALUES (${s.referralId}::uuid, ${s.referrerId}, ${s.referredId}, ${s.referredAt}, ${screening.referredMonth},
                ${s.emailNormalized}, ${s.signupIp ?? null}, ${screening.outcome},
                ${JSON.stringify(screening.evaluations)}::jsonb))
      INSERT INTO fraud_findings (id, referral_id, referrer_id, rule, outcome, detail, evidence, created_at)
      SELECT id, ${s.referralId}::uuid, ${s.referrerId}, rule, outcome, detail, evidence, ${s.referredAt}::timestamptz
        FROM unnest(${f.map(() => randomUUID())}::uuid[], ${f.map((x) => x.rule)}::text[], ${f.map((x) => x.outcome)}::text[],
                    ${f.map((x) => x.detail)}::text[], ${f.map((x) => JSON.stringify(x.evidence))}::jsonb[])
             AS t(id, rule, outcome, detail, evidence)`);
  }

  /** Records an admin's decision: an approved referral counts as accepted, a rejected one no longer counts. */
  async recordReview(
    referralId: string,
    review: { decision: 'approve' | 'reject'; reason: string; by: string; at: Date },
  ): Promise<void> {
    await this.db.execute(sql`
      UPDATE fraud_screenings
         SET outcome = ${review.decision === 'approve' ? 'accepted' : 'rejected'}, reviewed_at = ${review.at},
             reviewed_by = ${review.by}, review_decision = ${review.decision}, review_reason = ${review.reason}
       WHERE referral_id = ${referralId}::uuid`);
  }

  async findingsOf(referralIds: string[]): Promise<Map<string, StoredFinding[]>> {
    const byReferral = new Map<string, StoredFinding[]>();
    if (referralIds.length === 0) return byReferral;
    const rows = await this.db.query<{ referralId: string; rule: string; outcome: string; detail: string }>(sql`
      SELECT referral_id::text AS "referralId", rule, outcome, detail FROM fraud_findings
       WHERE referral_id = ANY(${referralIds}::uuid[])
       ORDER BY referral_id, outcome DESC, rule`);
    for (const r of rows) {
      const list = byReferral.get(r.referralId) ?? [];
      list.push({
        referralId: r.referralId,
        rule: r.rule as Rule,
        outcome: r.outcome as 'reject' | 'flag',
        detail: r.detail,
      });
      byReferral.set(r.referralId, list);
    }
    return byReferral;
  }

  /**
   * The review queue: flagged, not yet reviewed, oldest first. Keyset on (referredAt, referralId)
   * as a row comparison, so the page is read straight off fraud_screenings_outcome_idx.
   */
  async flaggedPage(
    limit: number,
    after?: { referredAt: Date; referralId: string },
  ): Promise<{ referralId: string; referredAt: Date }[]> {
    const keyset = after
      ? sql`AND (referred_at, referral_id) > (${after.referredAt}::timestamptz, ${after.referralId}::uuid)`
      : sql``;
    return this.db.query<{ referralId: string; referredAt: Date }>(sql`
      SELECT referral_id::text AS "referralId", referred_at AS "referredAt" FROM fraud_screenings
       WHERE outcome = 'flagged' ${keyset}
       ORDER BY referred_at, referral_id LIMIT ${limit + 1}::int`);
  }
}
