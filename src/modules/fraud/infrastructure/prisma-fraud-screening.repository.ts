import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { TransactionHost } from '../../../platform/database/transaction.js';
import type { Db } from '../../../platform/database/transaction.js';
import {
  WINDOW_MS,
  type Finding,
  type Rule,
  type Screening,
  type ScreeningOutcome,
  type ScreeningSubject,
} from '../domain/screening.js';

export interface StoredScreening {
  referralId: string;
  referrerId: string;
  outcome: ScreeningOutcome;
  reviewDecision: string | null;
}

export interface StoredFinding {
  referralId: string;
  rule: Rule;
  outcome: 'reject' | 'flag';
  detail: string;
}

/** The Fraud context's ledger (fraud_screenings) and findings (fraud_findings). */
@Injectable()
export class PrismaFraudScreeningRepository {
  constructor(@Inject(TransactionHost) private readonly db: Db) {}

  /**
   * Serialises screenings that could race on a count: per referrer (MONTHLY_LIMIT, BURST), then
   * per normalised email (DUPLICATE_REFERRAL) and per IP (SHARED_IP). Always taken in this order,
   * and held until the surrounding transaction ends.
   */
  async lockFor(subject: ScreeningSubject): Promise<void> {
    await this.db.tx.$executeRaw`SELECT 1 FROM pg_advisory_xact_lock(hashtextextended('fraud:' || ${subject.referrerId}::text, 0))`;
    await this.db.tx.$executeRaw`SELECT 1 FROM pg_advisory_xact_lock(hashtextextended('fraud-email:' || ${subject.emailNormalized}::text, 0))`;
    if (subject.signupIp) {
      await this.db.tx.$executeRaw`SELECT 1 FROM pg_advisory_xact_lock(hashtextextended('fraud-ip:' || ${subject.signupIp}::text, 0))`;
    }
  }

  async find(referralId: string): Promise<{ screening: StoredScreening; findings: StoredFinding[] } | null> {
    const row = await this.db.tx.fraudScreening.findUnique({ where: { referralId } });
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

  countNonRejectedInMonth(referrerId: string, referredMonth: string): Promise<number> {
    return this.db.tx.fraudScreening.count({ where: { referrerId, referredMonth, outcome: { not: 'rejected' } } });
  }

  /** Screenings of the referrer (any outcome) with referredAt in [at − 24 h, at]. */
  countReferrerInWindow(referrerId: string, at: Date): Promise<number> {
    return this.db.tx.fraudScreening.count({
      where: { referrerId, referredAt: { gte: new Date(at.getTime() - WINDOW_MS), lte: at } },
    });
  }

  /** Screenings (any referrer) from the IP with referredAt in [at − 24 h, at]. */
  countIpInWindow(signupIp: string, at: Date): Promise<number> {
    return this.db.tx.fraudScreening.count({
      where: { signupIp, referredAt: { gte: new Date(at.getTime() - WINDOW_MS), lte: at } },
    });
  }

  async earliestWithEmail(emailNormalized: string): Promise<{ referralId: string; referrerId: string; referredAt: Date } | null> {
    const row = await this.db.tx.fraudScreening.findFirst({
      where: { emailNormalized },
      orderBy: [{ referredAt: 'asc' }, { referralId: 'asc' }],
      select: { referralId: true, referrerId: true, referredAt: true },
    });
    return row ?? null;
  }

  async save(screening: Screening): Promise<void> {
    const s = screening.subject;
    await this.db.tx.fraudScreening.create({
      data: {
        referralId: s.referralId,
        referrerId: s.referrerId,
        referredId: s.referredId,
        referredAt: s.referredAt,
        referredMonth: screening.referredMonth,
        emailNormalized: s.emailNormalized,
        signupIp: s.signupIp ?? null,
        outcome: screening.outcome,
      },
    });
    if (screening.findings.length > 0) {
      await this.db.tx.fraudFinding.createMany({
        data: screening.findings.map((f: Finding) => ({
          id: randomUUID(),
          referralId: s.referralId,
          referrerId: s.referrerId,
          rule: f.rule,
          outcome: f.outcome,
          detail: f.detail,
          evidence: f.evidence as object,
          createdAt: s.referredAt,
        })),
      });
    }
  }

  /** Records an admin's decision: an approved referral counts as accepted, a rejected one no longer counts. */
  async recordReview(
    referralId: string,
    review: { decision: 'approve' | 'reject'; reason: string; by: string; at: Date },
  ): Promise<void> {
    await this.db.tx.fraudScreening.updateMany({
      where: { referralId },
      data: {
        outcome: review.decision === 'approve' ? 'accepted' : 'rejected',
        reviewedAt: review.at,
        reviewedBy: review.by,
        reviewDecision: review.decision,
        reviewReason: review.reason,
      },
    });
  }

  async findingsOf(referralIds: string[]): Promise<Map<string, StoredFinding[]>> {
    const byReferral = new Map<string, StoredFinding[]>();
    if (referralIds.length === 0) return byReferral;
    const rows = await this.db.tx.fraudFinding.findMany({
      where: { referralId: { in: referralIds } },
      orderBy: [{ referralId: 'asc' }, { outcome: 'desc' }, { rule: 'asc' }],
      select: { referralId: true, rule: true, outcome: true, detail: true },
    });
    for (const r of rows) {
      const list = byReferral.get(r.referralId) ?? [];
      list.push({ referralId: r.referralId, rule: r.rule as Rule, outcome: r.outcome as 'reject' | 'flag', detail: r.detail });
      byReferral.set(r.referralId, list);
    }
    return byReferral;
  }

  /**
   * The review queue: flagged, not yet reviewed, oldest first. Keyset on (referredAt, referralId)
   * as a row comparison, so the page is read straight off fraud_screenings_outcome_idx.
   */
  async flaggedPage(limit: number, after?: { referredAt: Date; referralId: string }): Promise<{ referralId: string; referredAt: Date }[]> {
    const rows = after
      ? await this.db.tx.$queryRaw<{ referral_id: string; referred_at: Date }[]>`
          SELECT referral_id::text AS referral_id, referred_at FROM fraud_screenings
           WHERE outcome = 'flagged' AND (referred_at, referral_id) > (${after.referredAt}::timestamptz, ${after.referralId}::uuid)
           ORDER BY referred_at, referral_id LIMIT ${limit + 1}`
      : await this.db.tx.$queryRaw<{ referral_id: string; referred_at: Date }[]>`
          SELECT referral_id::text AS referral_id, referred_at FROM fraud_screenings
           WHERE outcome = 'flagged'
           ORDER BY referred_at, referral_id LIMIT ${limit + 1}`;
    return rows.map((r) => ({ referralId: r.referral_id, referredAt: new Date(r.referred_at) }));
  }
}
