import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, QueryBus, type ICommandHandler } from '@nestjs/cqrs';
import { Transactional } from '../../../../../platform/database/transaction.js';
import { GetCustomerSummary, type CustomerSummary } from '#libs/contracts/index.js';
import { CLOCK, type Clock } from '#libs/ddd/index.js';
import { AuditLog } from '../../../../../platform/audit/audit-log.js';
import { Metrics } from '../../../../../platform/observability/metrics.js';
import { OutboxWriter } from '../../../../../platform/outbox/outbox.writer.js';
import { Reward } from '../../../domain/reward.aggregate.js';
import { CustomerNotFound } from '../../../domain/reward.errors.js';
import { PrismaRewardRepository } from '../../../infrastructure/prisma-reward.repository.js';
import { auditView } from '../../reward-audit.js';
import { GrantReward, type GrantRewardResult } from './grant-reward.command.js';

/** Grants a reward earned now; audited and announced (`reward.granted`) in the same transaction. */
@CommandHandler(GrantReward)
export class GrantRewardHandler implements ICommandHandler<GrantReward, GrantRewardResult> {
  constructor(
    private readonly rewards: PrismaRewardRepository,
    private readonly outbox: OutboxWriter,
    private readonly audit: AuditLog,
    @Inject(QueryBus) private readonly queryBus: QueryBus,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {}

  @Transactional()
  async execute(command: GrantReward): Promise<GrantRewardResult> {
    const customer = await this.queryBus.execute<GetCustomerSummary, CustomerSummary | null>(
      new GetCustomerSummary(command.customerId),
    );
    if (!customer) throw new CustomerNotFound(command.customerId);
    const reward = Reward.grant({
      id: randomUUID(),
      customerId: command.customerId,
      reason: command.reason,
      grantedBy: command.actor,
      at: this.clock.now(),
    });
    await this.rewards.insertMany([reward]);
    await this.audit.append({
      actor: command.actor,
      action: 'reward.granted',
      customerId: command.customerId,
      subjectId: reward.id,
      reason: command.reason,
      before: null,
      after: auditView(reward),
    });
    await this.outbox.append(reward.pullEvents());
    this.metrics.rewards.inc({ event: 'granted' });
    return {
      rewardId: reward.id,
      status: 'pending',
      manuallyGranted: true,
      expiresAt: reward.snapshot().expiresAt.toISOString(),
    };
  }
}
