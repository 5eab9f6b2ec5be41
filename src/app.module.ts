import { DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from './platform/config/config.js';
import { PlatformModule } from './platform/platform.module.js';
import { BillingIntegrationModule } from './modules/billing-integration/billing-integration.module.js';
import { FraudModule } from './modules/fraud/fraud.module.js';
import { NotificationsModule } from './modules/notifications/notifications.module.js';
import { ReconciliationModule } from './modules/reconciliation/reconciliation.module.js';
import { ReferralsModule } from './modules/referrals/referrals.module.js';
import { ReportingModule } from './modules/reporting/reporting.module.js';
import { RewardsModule } from './modules/rewards/rewards.module.js';

/** Wires the platform and the bounded contexts; no logic. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot(config),
        BillingIntegrationModule,
        ReferralsModule,
        FraudModule,
        RewardsModule,
        ReconciliationModule,
        ReportingModule,
        NotificationsModule,
      ],
    };
  }
}
