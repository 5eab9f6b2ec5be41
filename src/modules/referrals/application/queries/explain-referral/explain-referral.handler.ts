import { Inject } from '@nestjs/common';
import { QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  GetBillingEvents,
  GetReferralScreening,
  GetRewardsByIds,
  ListCreditNotesOfRewards,
  type BillingEventRecord,
  type CreditNoteView,
  type ReferralStatus,
  type RewardView,
  type ScreeningRecord,
} from '#libs/contracts/index.js';
import { BusinessDate } from '#libs/ddd/index.js';
import {
  lastActivationDay,
  nextStepOf,
  qualificationDay,
  qualificationMoment,
} from '../../../domain/referral.aggregate.js';
import { ReferralNotFound } from '../../../domain/referral.errors.js';
import {
  ReferralExplanations,
  type StoredHistoryEntry,
  type StoredReferral,
} from '../../ports/referral-explanations.js';
import {
  ExplainReferral,
  type ExplainedFact,
  type ExplainedHistoryEntry,
  type ReferralExplanation,
} from './explain-referral.query.js';

const iso = (d: Date | null) => d?.toISOString() ?? null;

/**
 * SPEC §12 "why": the referral and every state change with who made it (billing event, run,
 * admin), the billing facts it was judged by (the customer's signup, the first service's
 * activation, its first interruption — each with the event id and occurredAt, the event type from
 * BillingIntegration), every fraud rule evaluated (Fraud), the review, the reward it fed (Rewards)
 * and that reward's credit note (BillingIntegration). Everything is read from stored rows — nothing
 * is judged against today — so the answer is the same tomorrow as today.
 */
@QueryHandler(ExplainReferral)
export class ExplainReferralHandler implements IQueryHandler<ExplainReferral, ReferralExplanation> {
  constructor(
    @Inject(ReferralExplanations) private readonly explanations: ReferralExplanations,
    @Inject(QueryBus) private readonly queryBus: QueryBus,
  ) {}

  async execute({ referralId }: ExplainReferral): Promise<ReferralExplanation> {
    const found = await this.explanations.find(referralId);
    if (!found) throw new ReferralNotFound(referralId);
    const { referral: r, history } = found;
    const eventIds = [...new Set(history.flatMap((h) => (h.sourceEventId ? [h.sourceEventId] : [])))];
    const [screening, rewards, notes, events] = await Promise.all([
      this.queryBus.execute<GetReferralScreening, ScreeningRecord>(new GetReferralScreening(r.id)),
      r.rewardId
        ? this.queryBus.execute<GetRewardsByIds, RewardView[]>(new GetRewardsByIds([r.rewardId]))
        : Promise.resolve([]),
      r.rewardId
        ? this.queryBus.execute<ListCreditNotesOfRewards, CreditNoteView[]>(new ListCreditNotesOfRewards([r.rewardId]))
        : Promise.resolve([]),
      eventIds.length
        ? this.queryBus.execute<GetBillingEvents, BillingEventRecord[]>(new GetBillingEvents(eventIds))
        : Promise.resolve([]),
    ]);
    const eventType = new Map(events.map((e) => [e.id, e.type]));
    const reward = rewards[0];
    const nextStep = nextStepOf({ ...r, status: r.status });
    return {
      referral: {
        id: r.id,
        referrerId: r.referrerId,
        referredId: r.referredId,
        referredName: r.referredName,
        status: r.status,
        lifecycle: r.lifecycle,
        review: r.review,
        statusReason: r.statusReason,
        source: r.source,
        code: r.code,
        referredAt: r.referredAt.toISOString(),
        activatedAt: iso(r.activatedAt),
        qualifiedAt: iso(r.qualifiedAt),
        expiredAt: iso(r.expiredAt),
        cancelledAt: iso(r.cancelledAt),
        rejectedAt: iso(r.rejectedAt),
        rewardedAt: iso(r.rewardedAt),
        nextStep: nextStep ? { kind: nextStep.kind, on: nextStep.on?.toString() ?? null } : null,
      },
      facts: factsOf(r, history, eventType),
      fraudRules: screening.rules,
      unrecordedRules: screening.unrecordedRules,
      review: screening.review ? { ...screening.review, at: screening.review.at.toISOString() } : null,
      history: history.map(historyEntry),
      reward: reward
        ? {
            id: reward.id,
            status: reward.status,
            earnedAt: reward.earnedAt,
            expiresAt: reward.expiresAt,
            manuallyGranted: reward.manuallyGranted,
          }
        : null,
      creditNote: notes[0] ?? null,
    };
  }
}

/** Who made a change: an admin, a reconciliation run, a billing event — or the service itself. */
function byOf(h: StoredHistoryEntry): ExplainedHistoryEntry['by'] {
  if (h.actor) return { kind: 'admin', id: h.actor };
  if (h.runId) return { kind: 'run', id: h.runId };
  if (h.sourceEventId) return { kind: 'billing_event', id: h.sourceEventId };
  return { kind: 'service', id: null };
}

function historyEntry(h: StoredHistoryEntry): ExplainedHistoryEntry {
  return {
    at: h.at.toISOString(),
    what: h.what,
    from: h.from as ReferralStatus | null,
    to: h.to as ReferralStatus | null,
    by: byOf(h),
    detail: h.detail,
  };
}

/**
 * The billing facts, from the history rows that recorded them: the signup the referral was
 * attributed on, the activation of the referred customer's first service (within R+30 or too
 * late), and its first suspension or cancellation (before A+30 or after) — each with the dates the
 * rules compared it with.
 */
function factsOf(r: StoredReferral, history: StoredHistoryEntry[], eventType: Map<string, string>): ExplainedFact[] {
  const facts: ExplainedFact[] = [];
  const referredOn = BusinessDate.ofInstant(r.referredAt);
  const typeOf = (h: StoredHistoryEntry) => (h.sourceEventId ? (eventType.get(h.sourceEventId) ?? null) : null);
  for (const h of history) {
    const base = { at: h.at.toISOString(), sourceEventId: h.sourceEventId };
    if (h.what === 'attributed') {
      facts.push({
        ...base,
        what: 'customer_created',
        detail: {
          eventType: typeOf(h),
          customerId: r.referredId,
          referralCode: r.code,
          source: r.source,
          referredOn: referredOn.toString(),
          activateBy: lastActivationDay(referredOn).toString(),
        },
      });
    } else if (h.what === 'activated' || h.what === 'activated_too_late') {
      const activatedOn = BusinessDate.ofInstant(h.at);
      facts.push({
        ...base,
        what: 'service_activated',
        detail: {
          eventType: typeOf(h),
          serviceId: r.serviceId,
          activatedOn: activatedOn.toString(),
          activateBy: lastActivationDay(referredOn).toString(),
          inTime: h.what === 'activated',
          ...(h.what === 'activated' ? { qualifiesOn: qualificationDay(activatedOn).toString() } : {}),
        },
      });
    } else if (h.what === 'service_interrupted') {
      const type = typeOf(h);
      const activatedOn = r.activatedAt ? BusinessDate.ofInstant(r.activatedAt) : null;
      facts.push({
        ...base,
        what: 'service_interrupted',
        detail: {
          eventType: type,
          serviceId: r.serviceId,
          status: type === 'service.cancelled' ? 'cancelled' : type === 'service.suspended' ? 'suspended' : null,
          ...(activatedOn
            ? {
                holdEndsOn: qualificationDay(activatedOn).toString(),
                beforeHoldEnded: h.at < qualificationMoment(activatedOn),
              }
            : {}),
        },
      });
    }
  }
  return facts;
}
