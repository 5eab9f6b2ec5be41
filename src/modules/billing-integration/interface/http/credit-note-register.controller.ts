import type { Readable } from 'node:stream';
import { Controller, Get, Headers, Inject, Logger, Query, StreamableFile } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Permissions } from '../../../../platform/auth/decorators.js';
import { problem } from '../../../../platform/http/problem-details.js';
import { ProblemDetailsDto } from '../../../../platform/http/problem-details.dto.js';
import {
  ListCreditNoteRegister,
  StreamCreditNoteRegister,
  type CreditNoteRegisterPage,
} from '../../application/queries/credit-note-register/credit-note-register.query.js';
import { CREDIT_NOTE_CSV_COLUMNS, creditNotesAsCsv } from './credit-note-csv.js';
import { CreditNoteRegisterPageDto, CreditNoteRegisterQueryDto } from './credit-note-register.dto.js';

const CSV = 'text/csv';

/** Finance's credit-note register (SPEC §14): a period of issue, by number, with totals; CSV streamed. */
@ApiTags('Admin: finance')
@ApiExtraModels(CreditNoteRegisterPageDto)
@Controller('api/admin/credit-notes')
export class CreditNoteRegisterController {
  private readonly logger = new Logger(CreditNoteRegisterController.name);

  constructor(@Inject(QueryBus) private readonly queryBus: QueryBus) {}

  @Get()
  @Permissions('referrals:view')
  @ApiOperation({
    operationId: 'listCreditNoteRegister',
    summary: 'The credit-note register for a period of issue, with totals; CSV with Accept: text/csv',
    description:
      'Requires `referrals:view`. The credit notes issued (SAST date of `issuedAt`) from `from` to `to` inclusive, ' +
      'by number (CN-YYYY-NNNNN), each with the reconciliation run that issued it, keyset-paged (`limit`, `cursor`), ' +
      'and `totals` (count, incl. VAT, VAT, excl. VAT) of the whole period, summed in the database so they hold for ' +
      'any number of notes. With `Accept: text/csv` the whole period (no paging) is streamed as CSV — header row ' +
      `\`${CREDIT_NOTE_CSV_COLUMNS.join(',')}\`, then one note a line, amounts as in JSON — ` +
      '`Content-Disposition: attachment; filename="credit-notes_<from>_<to>.csv"`, read from the database in ' +
      'batches as the client downloads it (bounded memory whatever the period holds). A download that fails ' +
      'part-way is cut off (the connection is reset), never ended as if complete.',
  })
  @ApiHeader({
    name: 'Accept',
    required: false,
    description: '`text/csv` for the whole period as CSV; anything else gets JSON pages',
  })
  @ApiProduces('application/json', CSV)
  @ApiOkResponse({
    description: 'A page of the register (JSON), or the whole period (CSV)',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(CreditNoteRegisterPageDto) } },
      [CSV]: {
        schema: { type: 'string' },
        example:
          `${CREDIT_NOTE_CSV_COLUMNS.join(',')}\n` +
          'CN-2026-00001,2026-03-01T00:05:12.000Z,cus_1001,svc_2001,0b5c…,4f1d…,2026-03-01,2026-03-31,799.00,104.22,694.78,15.00\n',
      },
    },
  })
  @ApiBadRequestResponse({
    description:
      'VALIDATION_FAILED: from / to missing or not a date YYYY-MM-DD in 2000–2100, to before from; bad limit; INVALID_CURSOR',
    type: ProblemDetailsDto,
  })
  async list(
    @Query() query: CreditNoteRegisterQueryDto,
    @Headers('accept') accept: string | undefined,
  ): Promise<CreditNoteRegisterPageDto | StreamableFile> {
    if (accept && /(^|[\s,])text\/csv\b/i.test(accept)) {
      const entries = await this.queryBus.execute<StreamCreditNoteRegister, Readable>(
        new StreamCreditNoteRegister(query.from, query.to),
      );
      return new StreamableFile(creditNotesAsCsv(entries), {
        type: `${CSV}; charset=utf-8`,
        disposition: `attachment; filename="credit-notes_${query.from}_${query.to}.csv"`,
      }).setErrorHandler((err, res) => this.failedDownload(err, res as Response));
    }
    return this.queryBus.execute<ListCreditNoteRegister, CreditNoteRegisterPage>(
      new ListCreditNoteRegister(query.from, query.to, query.limit ?? 20, query.cursor),
    );
  }

  /**
   * The export failed: before any byte went out, a problem+json 500 like any other failure; once
   * the CSV has started, the connection is reset so a truncated file never looks complete.
   */
  private failedDownload(err: Error, res: Response): void {
    this.logger.error({ err }, 'credit-note CSV export failed');
    if (res.destroyed) return;
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.removeHeader('Content-Disposition');
    res
      .status(500)
      .type('application/problem+json')
      .send(JSON.stringify(problem(500, 'INTERNAL_ERROR', 'The service could not complete the request.')));
  }
}
