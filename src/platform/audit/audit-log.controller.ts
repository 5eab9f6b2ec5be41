import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Permissions } from '../auth/decorators.js';
import { ProblemDetailsDto } from '../http/problem-details.dto.js';
import { AuditLog } from './audit-log.js';
import { AuditLogPageDto, AuditLogQueryDto, CustomerIdParams } from './audit-log.dto.js';

@ApiTags('Admin: customers')
@Controller('api/admin/customers')
export class AuditLogController {
  constructor(private readonly auditLog: AuditLog) {}

  @Get(':id/audit-log')
  @Permissions('referrals:view')
  @ApiOperation({
    operationId: 'listCustomerAuditLog',
    summary: "Admin actions on a customer's referrals and rewards",
    description:
      'Every fraud review, manual grant and revoke concerning the customer, newest first: who (the JWT `sub`), ' +
      'what, why, and the state before and after. Append-only. Keyset-paginated: pass `nextCursor` back as `cursor`.',
  })
  @ApiOkResponse({ type: AuditLogPageDto })
  @ApiBadRequestResponse({ description: 'Bad id, limit or cursor', type: ProblemDetailsDto })
  async list(@Param() params: CustomerIdParams, @Query() query: AuditLogQueryDto): Promise<AuditLogPageDto> {
    const page = await this.auditLog.list(params.id, { limit: query.limit, cursor: query.cursor });
    return {
      items: page.items.map((e) => ({
        id: e.id,
        at: e.at.toISOString(),
        actor: e.actor,
        action: e.action,
        subjectId: e.subjectId,
        reason: e.reason,
        before: (e.before ?? null) as Record<string, unknown> | null,
        after: (e.after ?? null) as Record<string, unknown> | null,
      })),
      nextCursor: page.nextCursor,
    };
  }
}
