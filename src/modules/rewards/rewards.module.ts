import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ApplyDueRewardsHandler } from './application/commands/apply-due-rewards/apply-due-rewards.handler.js';
import { EarnRewardsHandler } from './application/commands/earn-rewards/earn-rewards.handler.js';
import { ExpireRewardsHandler } from './application/commands/expire-rewards/expire-rewards.handler.js';
import { RemindExpiringRewardsHandler } from './application/commands/remind-expiring-rewards/remind-expiring-rewards.handler.js';
import { GrantRewardHandler } from './application/commands/grant-reward/grant-reward.handler.js';
import { RevokeRewardHandler } from './application/commands/revoke-reward/revoke-reward.handler.js';
import { RecordQualifiedReferralsOnReferralsQualified } from './application/listeners/record-qualified-referrals-on-referrals-qualified.listener.js';
import { GetReferralBalanceHandler } from './application/queries/get-referral-balance/get-referral-balance.handler.js';
import { GetRewardBalanceSummaryHandler } from './application/queries/get-reward-balance-summary/get-reward-balance-summary.handler.js';
import { GetRewardProgressHandler } from './application/queries/get-reward-progress/get-reward-progress.handler.js';
import { ListRewardsOfCustomerHandler } from './application/queries/list-rewards-of-customer/list-rewards-of-customer.handler.js';
import { QualifiedReferralLedger } from './application/ports/qualified-referral-ledger.js';
import { SqlQualifiedReferralLedger } from './infrastructure/qualified-referral-ledger.js';
import { RewardReadModel } from './application/ports/reward.read-model.js';
import { SqlRewardReadModel } from './infrastructure/reward.read-model.js';
import { RewardRepository } from './application/ports/reward.repository.js';
import { SqlRewardRepository } from './infrastructure/reward.repository.js';
import { RewardReports } from './application/ports/reward-reports.js';
import {
  CountRewardActivityByMonthHandler,
  GetRewardsByIdsHandler,
  ListRewardsPendingAtHandler,
} from './application/queries/admin-contract-queries/reward-admin-queries.handlers.js';
import { EraseRewardPersonalDataHandler } from './application/commands/erase-reward-personal-data/erase-reward-personal-data.handler.js';
import { EraseRewardDataOnCustomerErasedListener } from './application/listeners/erase-personal-data-on-customer-erased.listener.js';
import { RewardPersonalData } from './application/ports/reward-personal-data.js';
import { SqlRewardPersonalData } from './infrastructure/sql-reward-personal-data.js';
import { SqlRewardReports } from './infrastructure/sql-reward-reports.js';
import { AdminRewardsController } from './interface/http/admin-rewards.controller.js';
import { CustomerReferralBalanceController } from './interface/http/customer-referral-balance.controller.js';

/** Rewards bounded context: the ledger of qualified referrals, earning, grant, revoke, applying, expiry. */
@Module({
  imports: [CqrsModule],
  controllers: [CustomerReferralBalanceController, AdminRewardsController],
  providers: [
    { provide: RewardRepository, useClass: SqlRewardRepository },
    { provide: RewardReadModel, useClass: SqlRewardReadModel },
    { provide: QualifiedReferralLedger, useClass: SqlQualifiedReferralLedger },
    RecordQualifiedReferralsOnReferralsQualified,
    EarnRewardsHandler,
    ApplyDueRewardsHandler,
    ExpireRewardsHandler,
    RemindExpiringRewardsHandler,
    GrantRewardHandler,
    RevokeRewardHandler,
    GetRewardBalanceSummaryHandler,
    ListRewardsOfCustomerHandler,
    GetReferralBalanceHandler,
    GetRewardProgressHandler,
    // back-office reads for the admin console (explanations, the programme report)
    { provide: RewardReports, useClass: SqlRewardReports },
    GetRewardsByIdsHandler,
    CountRewardActivityByMonthHandler,
    ListRewardsPendingAtHandler,
    // personal data (SPEC §16)
    { provide: RewardPersonalData, useClass: SqlRewardPersonalData },
    EraseRewardPersonalDataHandler,
    EraseRewardDataOnCustomerErasedListener,
  ],
})
export class RewardsModule {}
