import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ActivateReferralHandler } from './application/commands/activate-referral/activate-referral.handler.js';
import { AttributeReferralHandler } from './application/commands/attribute-referral/attribute-referral.handler.js';
import { ExpireStaleReferralsHandler } from './application/commands/expire-stale-referrals/expire-stale-referrals.handler.js';
import { GetOrCreateReferralCodeHandler } from './application/commands/get-or-create-referral-code/get-or-create-referral-code.handler.js';
import { MarkReferralsRewardedHandler } from './application/commands/mark-referrals-rewarded/mark-referrals-rewarded.handler.js';
import { QualifyOrCancelActiveReferralsHandler } from './application/commands/qualify-or-cancel-active-referrals/qualify-or-cancel-active-referrals.handler.js';
import { RecordReferralServiceInterruptedHandler } from './application/commands/record-referral-service-interrupted/record-referral-service-interrupted.handler.js';
import { ResolveFlaggedReferralHandler } from './application/commands/resolve-flagged-referral/resolve-flagged-referral.handler.js';
import { UpdateReferredContactHandler } from './application/commands/update-referred-contact/update-referred-contact.handler.js';
import { ActivateReferralOnServiceActivatedListener } from './application/listeners/activate-referral-on-service-activated.listener.js';
import { AttributeReferralOnCustomerRegisteredListener } from './application/listeners/attribute-referral-on-customer-registered.listener.js';
import { RecordInterruptionOnServiceInterruptedListener } from './application/listeners/record-interruption-on-service-interrupted.listener.js';
import { UpdateContactOnCustomerDetailsChangedListener } from './application/listeners/update-contact-on-customer-details-changed.listener.js';
import { GetMyReferralsPageHandler } from './application/queries/get-my-referrals-page/get-my-referrals-page.handler.js';
import { CheckReferralCodeHandler } from './application/queries/check-referral-code/check-referral-code.handler.js';
import {
  GetReferralCodeOfHandler,
  GetReferralsByIdsHandler,
  GetReferralStatsHandler,
  ListReferralsOfReferrerHandler,
} from './application/queries/contract-queries/referral-contract-queries.handlers.js';
import { ReferralCodeRepository } from './application/ports/referral-code.repository.js';
import { SqlReferralCodeRepository } from './infrastructure/referral-code.repository.js';
import { ReferralRepository } from './application/ports/referral.repository.js';
import { SqlReferralRepository } from './infrastructure/referral.repository.js';
import { ReferralAdminReadModel } from './application/ports/referral-admin.read-model.js';
import { PrismaReferralAdminReadModel } from './infrastructure/referral-admin.read-model.js';
import { ReferralReadModel } from './application/ports/referral-read.model.js';
import { SqlReferralReadModel } from './infrastructure/referral-read.model.js';
import { LinkReferralHandler } from './application/commands/link-referral/link-referral.handler.js';
import { ReferralActivityReport } from './application/ports/referral-activity-report.js';
import { ReferralCodeDirectory } from './application/ports/referral-code-directory.js';
import { ReferralExplanations } from './application/ports/referral-explanations.js';
import {
  CountReferralActivityByMonthHandler,
  FindReferralCodeOwnerHandler,
  GetReferralCodesOfHandler,
} from './application/queries/contract-queries/referral-admin-queries.handlers.js';
import { EraseReferralPersonalDataHandler } from './application/commands/erase-referral-personal-data/erase-referral-personal-data.handler.js';
import { ErasePersonalDataOnCustomerErasedListener } from './application/listeners/erase-personal-data-on-customer-erased.listener.js';
import { ReferralPersonalData } from './application/ports/referral-personal-data.js';
import { SqlReferralPersonalData } from './infrastructure/sql-referral-personal-data.js';
import { ExplainReferralHandler } from './application/queries/explain-referral/explain-referral.handler.js';
import { SqlReferralActivityReport } from './infrastructure/sql-referral-activity-report.js';
import { SqlReferralCodeDirectory } from './infrastructure/sql-referral-code-directory.js';
import { SqlReferralExplanations } from './infrastructure/sql-referral-explanations.js';
import { AdminReferralsController } from './interface/http/admin-referrals.controller.js';
import { CustomerReferralsController } from './interface/http/customer-referrals.controller.js';
import { ReferralCodesController } from './interface/http/referral-codes.controller.js';

/** Referrals bounded context: codes, attribution, the referral lifecycle and its nightly steps. */
@Module({
  imports: [CqrsModule],
  controllers: [CustomerReferralsController, ReferralCodesController, AdminReferralsController],
  providers: [
    { provide: ReferralRepository, useClass: SqlReferralRepository },
    { provide: ReferralCodeRepository, useClass: SqlReferralCodeRepository },
    { provide: ReferralReadModel, useClass: SqlReferralReadModel },
    { provide: ReferralAdminReadModel, useClass: PrismaReferralAdminReadModel },
    // commands
    GetOrCreateReferralCodeHandler,
    AttributeReferralHandler,
    ActivateReferralHandler,
    RecordReferralServiceInterruptedHandler,
    UpdateReferredContactHandler,
    ExpireStaleReferralsHandler,
    QualifyOrCancelActiveReferralsHandler,
    MarkReferralsRewardedHandler,
    ResolveFlaggedReferralHandler,
    // queries
    CheckReferralCodeHandler,
    GetMyReferralsPageHandler,
    GetReferralsByIdsHandler,
    ListReferralsOfReferrerHandler,
    GetReferralStatsHandler,
    GetReferralCodeOfHandler,
    // the admin console (SPEC §12, §14): link after the fact, explain, and the reads other contexts ask
    LinkReferralHandler,
    ExplainReferralHandler,
    FindReferralCodeOwnerHandler,
    GetReferralCodesOfHandler,
    CountReferralActivityByMonthHandler,
    { provide: ReferralCodeDirectory, useClass: SqlReferralCodeDirectory },
    { provide: ReferralExplanations, useClass: SqlReferralExplanations },
    { provide: ReferralActivityReport, useClass: SqlReferralActivityReport },
    // listeners
    AttributeReferralOnCustomerRegisteredListener,
    ActivateReferralOnServiceActivatedListener,
    RecordInterruptionOnServiceInterruptedListener,
    UpdateContactOnCustomerDetailsChangedListener,
    // personal data (SPEC §16)
    { provide: ReferralPersonalData, useClass: SqlReferralPersonalData },
    EraseReferralPersonalDataHandler,
    ErasePersonalDataOnCustomerErasedListener,
  ],
})
export class ReferralsModule {}
