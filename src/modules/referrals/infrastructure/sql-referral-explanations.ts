import { Inject, Injectable } from '@nestjs/common';
import { Db } from '../../../platform/database/db.js';
import { sql } from '../../../platform/database/sql.js';
import {
  ReferralExplanations,
  type StoredHistoryEntry,
  type StoredReferral,
} from '../application/ports/referral-explanations.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The referral row and its referral_history rows (referral_history_referral_idx), in one statement. */
@Injectable()
export class SqlReferralExplanations implements ReferralExplanations {
  constructor(@Inject(Db) private readonly db: Db) {}

  async find(referralId: string): Promise<{ referral: StoredReferral; history: StoredHistoryEntry[] } | null> {
    if (!UUID.test(referralId)) return null;
    const row = await this.db.maybeOne<
      Omit<StoredReferral, 'referredAt'> & {
        referredAt: Date;
        history: (Omit<StoredHistoryEntry, 'at'> & { at: string })[];
      }
    >(sql`
      SELECT r.id::text AS id, r.referrer_id AS "referrerId", r.referred_id AS "referredId",
             r.referred_name AS "referredName", r.code, r.source, r.status, r.lifecycle, r.review,
             r.status_reason AS "statusReason", r.service_id AS "serviceId", r.referred_at AS "referredAt",
             r.activated_at AS "activatedAt", r.service_interrupted_at AS "serviceInterruptedAt",
             r.qualified_at AS "qualifiedAt", r.expired_at AS "expiredAt", r.cancelled_at AS "cancelledAt",
             r.rejected_at AS "rejectedAt", r.rewarded_at AS "rewardedAt", r.reward_id::text AS "rewardId",
             COALESCE((
               SELECT json_agg(json_build_object(
                        'at', h.at, 'kind', h.kind, 'what', h.what, 'from', h.from_status, 'to', h.to_status,
                        'sourceEventId', h.source_event_id, 'runId', h.run_id, 'actor', h.actor, 'detail', h.detail)
                      ORDER BY h.at, h.id)
                 FROM referral_history h WHERE h.referral_id = r.id), '[]'::json) AS history
        FROM referrals r WHERE r.id = ${referralId}::uuid`);
    if (!row) return null;
    const { history, ...referral } = row;
    return { referral, history: history.map((h) => ({ ...h, at: new Date(h.at) })) };
  }
}
