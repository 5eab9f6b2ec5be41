import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { GetProgrammeReportHandler } from './application/queries/get-programme-report/get-programme-report.handler.js';
import { ProgrammeReportController } from './interface/http/programme-report.controller.js';

/**
 * Reporting: finance's read-only views across the programme, composed from every context's own
 * counters through libs/contracts. It owns no tables (hence no ports or infrastructure).
 */
@Module({
  imports: [CqrsModule],
  controllers: [ProgrammeReportController],
  providers: [GetProgrammeReportHandler],
})
export class ReportingModule {}
