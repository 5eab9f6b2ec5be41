import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Db, Transactional } from '../../../../../platform/database/db.js';
import { CLOCK, type Clock } from '#libs/ddd/index.js';
import { AuditLog } from '../../../../../platform/audit/audit-log.js';
import { Metrics } from '../../../../../platform/observability/metrics.js';
import { OutboxWriter } from '../../../../../platform/outbox/outbox.writer.js';
import { RewardNotFound } from '../../../domain/reward.errors.js';
import { RewardRepository } from '../../ports/reward.repository.js';
import { auditView } from '../../reward-audit.js';
import { RevokeReward, type RevokeRewardResult } from './revoke-reward.command.js';

/** Revokes a pending reward of this customer; audited and announced (`reward.revoked`) in the same transaction. */
@CommandHandler(RevokeReward)
export class RevokeRewardHandler implements ICommandHandler<RevokeReward, RevokeRewardResult> {
  constructor(
    @Inject(Db) private readonly db: Db,
    @Inject(RewardRepository) private readonly rewards: RewardRepository,
    @Inject(OutboxWriter) private readonly outbox: OutboxWriter,
    @Inject(AuditLog) private readonly audit: AuditLog,
    @Inject(Metrics) private readonly metrics: Metrics,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Transactional()
  async execute(command: RevokeReward): Promise<RevokeRewardResult> {
    // Locked: a concurrent apply or revoke of the same reward waits, then finds it no longer pending.
    const reward = await this.rewards.findOfCustomerForUpdate(command.customerId, command.rewardId);
    if (!reward) throw new RewardNotFound(command.rewardId);
    const before = auditView(reward);
    const at = this.clock.now();
    reward.revoke(at, command.reason, command.actor);
    await this.rewards.saveAllFromPending([reward]);
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
