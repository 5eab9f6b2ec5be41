import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { GetRewardProgress, type RewardProgressView } from '#libs/contracts/index.js';
import { rewardProgress } from '../../../domain/referral-pairing.js';
import { QualifiedReferralLedger } from '../../ports/qualified-referral-ledger.js';

/** Progress of several referrers towards their next reward, as the ledger counts it (through the caller's transaction). */
@QueryHandler(GetRewardProgress)
export class GetRewardProgressHandler implements IQueryHandler<GetRewardProgress, Map<string, RewardProgressView>> {
  constructor(@Inject(QualifiedReferralLedger) private readonly ledger: QualifiedReferralLedger) {}

  async execute({ referrerIds }: GetRewardProgress): Promise<Map<string, RewardProgressView>> {
    const counts = await this.ledger.unconsumedCounts(referrerIds);
    return new Map([...counts].map(([id, n]) => [id, rewardProgress(n)]));
  }
}
