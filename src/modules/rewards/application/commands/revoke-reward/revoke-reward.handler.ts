import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Transactional } from '../../../../../platform/database/transaction.js';
import { CLOCK, type Clock } from '#libs/ddd/index.js';
import { AuditLog } from '../../../../../platform/audit/audit-log.js';
import { Metrics } from '../../../../../platform/observability/metrics.js';
import { OutboxWriter } from '../../../../../platform/outbox/outbox.writer.js';
import { RewardNotFound, RewardNotRevocable } from '../../../domain/reward.errors.js';
import { PrismaRewardRepository } from '../../../infrastructure/prisma-reward.repository.js';
import { auditView } from '../../reward-audit.js';
import { RevokeReward, type RevokeRewardResult } from './revoke-reward.command.js';

/** Revokes a pending reward of this customer; audited and announced (`reward.revoked`) in the same transaction. */
@CommandHandler(RevokeReward)
export class RevokeRewardHandler implements ICommandHandler<RevokeReward, RevokeRewardResult> {
  constructor(
    private readonly rewards: PrismaRewardRepository,
    private readonly outbox: OutboxWriter,
    private readonly audit: AuditLog,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {}

  @Transactional()
  async execute(command: RevokeReward): Promise<RevokeRewardResult> {
    const reward = await this.rewards.findOfCustomer(command.customerId, command.rewardId);
    if (!reward) throw new RewardNotFound(command.rewardId);
    const before = auditView(reward);
    const at = this.clock.now();
    reward.revoke(at, command.reason, command.actor);
    if (!(await this.rewards.saveFromPending(reward))) {
      // Applied, expired or revoked by someone else since we read it.
      const now = await this.rewards.findOfCustomer(command.customerId, command.rewardId);
      throw new RewardNotRevocable(command.rewardId, now?.status ?? 'revoked');
    }
    await this.audit.append({
      actor: command.actor,
      action: 'reward.revoked',
      customerId: command.customerId,
      subjectId: reward.id,
      reason: command.reason,
      before,
      after: auditView(reward),
    });
    await this.outbox.append(reward.pullEvents());
    this.metrics.rewards.inc({ event: 'revoked' });
    return { rewardId: reward.id, status: 'revoked', revokedAt: at.toISOString() };
  }
}
