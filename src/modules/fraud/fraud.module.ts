import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ReviewFlaggedReferralHandler } from './application/commands/review-flagged-referral/review-flagged-referral.handler.js';
import { ScreenReferralHandler } from './application/commands/screen-referral/screen-referral.handler.js';
import { GetCustomerReferralOverviewHandler } from './application/queries/get-customer-referral-overview/get-customer-referral-overview.handler.js';
import { ListFlaggedReferralsHandler } from './application/queries/list-flagged-referrals/list-flagged-referrals.handler.js';
import { FraudScreeningRepository } from './application/ports/fraud-screening.repository.js';
import { SqlFraudScreeningRepository } from './infrastructure/fraud-screening.repository.js';
import { ScreeningRecords } from './application/ports/screening-records.js';
import { GetReferralScreeningHandler } from './application/queries/get-referral-screening/get-referral-screening.handler.js';
import { SqlScreeningRecords } from './infrastructure/sql-screening-records.js';
import { EraseFraudPersonalDataHandler } from './application/commands/erase-fraud-personal-data/erase-fraud-personal-data.handler.js';
import { EraseFraudDataOnCustomerErasedListener } from './application/listeners/erase-personal-data-on-customer-erased.listener.js';
import { FraudPersonalData } from './application/ports/fraud-personal-data.js';
import { SqlFraudPersonalData } from './infrastructure/sql-fraud-personal-data.js';
import { CustomerOversightController } from './interface/http/customer-oversight.controller.js';
import { FraudReviewController } from './interface/http/fraud-review.controller.js';

/** Fraud bounded context: screening at attribution (SPEC §5), the review queue, the admin oversight view. */
@Module({
  imports: [CqrsModule],
  controllers: [FraudReviewController, CustomerOversightController],
  providers: [
    { provide: FraudScreeningRepository, useClass: SqlFraudScreeningRepository },
    ScreenReferralHandler,
    ReviewFlaggedReferralHandler,
    ListFlaggedReferralsHandler,
    GetCustomerReferralOverviewHandler,
    { provide: ScreeningRecords, useClass: SqlScreeningRecords },
    GetReferralScreeningHandler,
    // personal data (SPEC §16)
    { provide: FraudPersonalData, useClass: SqlFraudPersonalData },
    EraseFraudPersonalDataHandler,
    EraseFraudDataOnCustomerErasedListener,
  ],
})
export class FraudModule {}
