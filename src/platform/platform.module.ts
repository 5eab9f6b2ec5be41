import { DynamicModule, Global, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ScheduleModule } from '@nestjs/schedule';
import { CLOCK, systemClock } from '#libs/ddd/index.js';
import { AuthModule } from './auth/auth.module.js';
import { APP_CONFIG, type AppConfig } from './config/config.js';
import { DatabaseModule } from './database/database.module.js';
import { MessagingModule } from './messaging/messaging.module.js';
import { ObservabilityModule } from './observability/observability.module.js';
import { OutboxModule } from './outbox/outbox.module.js';
import { AuditModule } from './audit/audit.module.js';
import { HttpPlatformModule } from './http/http.module.js';
import { WebModule } from './web/web.module.js';
import { PrivacyModule } from './privacy/privacy.module.js';

@Global()
@Module({})
class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: CLOCK, useValue: systemClock },
      ],
      exports: [APP_CONFIG, CLOCK],
    };
  }
}

/** Technical plumbing every context uses, and nothing domain. */
@Module({})
export class PlatformModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: PlatformModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        CqrsModule.forRoot(),
        ScheduleModule.forRoot(),
        ObservabilityModule.forRoot(config),
        AuthModule.forRoot(config),
        HttpPlatformModule,
        MessagingModule,
        OutboxModule,
        AuditModule,
        PrivacyModule,
        WebModule.forRoot(config),
      ],
    };
  }
}
