import { Global, Module } from '@nestjs/common';
import { OperationsController } from './health.controller.js';
import { Metrics } from './metrics.js';

@Global()
@Module({
  controllers: [OperationsController],
  providers: [Metrics],
  exports: [Metrics],
})
export class ObservabilityModule {}
