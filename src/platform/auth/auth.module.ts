import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import type { AppConfig } from '../config/config.js';
import { JwtAuthGuard } from './auth.guard.js';
import { ConsoleConfigController } from './console-config.controller.js';
import { DevSignInController } from './dev-sign-in.controller.js';
import { JwtStrategy } from './jwt.strategy.js';

@Module({})
export class AuthModule {
  /** The development sign-in exists only outside production (and with an HS256 secret to sign with). */
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AuthModule,
      imports: [PassportModule],
      controllers: [
        ConsoleConfigController,
        ...(config.nodeEnv !== 'production' && config.jwt.secret ? [DevSignInController] : []),
      ],
      providers: [JwtStrategy, { provide: APP_GUARD, useClass: JwtAuthGuard }],
    };
  }
}
