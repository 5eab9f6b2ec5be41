import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { GetReferralScreening, type ScreeningRecord } from '#libs/contracts/index.js';
import { RULE_ORDER } from '../../../domain/screening.js';
import { ScreeningRecords } from '../../ports/screening-records.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A referral's screening for its explanation (SPEC §12): every rule evaluated, in rule order, with
 * its outcome, detail and evidence. A screening made before every evaluation was recorded shows
 * its findings (the rules that fired, with their evidence) and names the other rules as
 * unrecorded: they did not fire, but what they saw was not kept. Never screened: no rules, all
 * unrecorded.
 */
@QueryHandler(GetReferralScreening)
export class GetReferralScreeningHandler implements IQueryHandler<GetReferralScreening, ScreeningRecord> {
  constructor(@Inject(ScreeningRecords) private readonly screenings: ScreeningRecords) {}

  async execute({ referralId }: GetReferralScreening): Promise<ScreeningRecord> {
    const stored = UUID.test(referralId) ? await this.screenings.find(referralId) : null;
    if (!stored) return { referralId, outcome: null, rules: [], unrecordedRules: [...RULE_ORDER], review: null };
    const inOrder = <T extends { rule: string }>(list: readonly T[]) =>
      [...list].sort((a, b) => RULE_ORDER.indexOf(a.rule as never) - RULE_ORDER.indexOf(b.rule as never));
    const rules = stored.evaluations ? inOrder(stored.evaluations) : inOrder(stored.findings);
    const shown = new Set(rules.map((r) => r.rule));
    return {
      referralId,
      outcome: stored.outcome,
      rules,
      unrecordedRules: RULE_ORDER.filter((rule) => !shown.has(rule)),
      review: stored.review,
    };
  }
}
