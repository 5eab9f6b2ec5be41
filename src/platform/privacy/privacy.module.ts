import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ErasePlatformRecordsOnCustomerErasedListener } from './erase-platform-records-on-customer-erased.listener.js';
import { RetentionJob } from './retention.job.js';
import { RetentionSchedule } from './retention.schedule.js';

/** Personal data (SPEC §16): the platform's records on erasure, and the daily retention job. */
@Module({
  imports: [CqrsModule],
  providers: [ErasePlatformRecordsOnCustomerErasedListener, RetentionJob, RetentionSchedule],
  exports: [RetentionJob],
})
export class PrivacyModule {}
