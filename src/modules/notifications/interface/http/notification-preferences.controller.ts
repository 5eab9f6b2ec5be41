import { Body, Controller, Get, Inject, Put } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, CustomerOnly } from '../../../../platform/auth/decorators.js';
import type { Principal } from '../../../../platform/auth/principal.js';
import { ProblemDetailsDto } from '../../../../platform/http/problem-details.dto.js';
import {
  GetNotificationPreferences,
  SetNotificationPreferences,
  type NotificationPreferencesView,
} from '../../application/commands/notification-preferences.commands.js';
import { NotificationPreferencesBodyDto, NotificationPreferencesDto } from './notification-preferences.dto.js';

@ApiTags('Customer app')
@Controller('api/customer/notification-preferences')
export class NotificationPreferencesController {
  constructor(
    @Inject(CommandBus) private readonly commandBus: CommandBus,
    @Inject(QueryBus) private readonly queryBus: QueryBus,
  ) {}

  @Get()
  @CustomerOnly()
  @ApiOperation({
    operationId: 'getMyNotificationPreferences',
    summary: 'My e-mail choices',
    description: 'Whether the signed-in customer receives referral e-mails (on until they opt out).',
  })
  @ApiOkResponse({ type: NotificationPreferencesDto })
  get(@CurrentPrincipal() principal: Principal): Promise<NotificationPreferencesView> {
    return this.queryBus.execute(new GetNotificationPreferences(principal.sub));
  }

  @Put()
  @CustomerOnly()
  @ApiOperation({
    operationId: 'updateMyNotificationPreferences',
    summary: 'Choose whether to receive referral e-mails',
    description:
      '`referralEmails: false` stops every e-mail the service sends the customer (the one-click link in each ' +
      'e-mail does the same); `true` turns them back on for what happens from now on.',
  })
  @ApiBody({
    type: NotificationPreferencesBodyDto,
    examples: {
      optOut: { summary: 'No more referral e-mails', value: { referralEmails: false } },
      optIn: { summary: 'Referral e-mails again', value: { referralEmails: true } },
    },
  })
  @ApiOkResponse({ type: NotificationPreferencesDto })
  @ApiBadRequestResponse({ type: ProblemDetailsDto, description: 'VALIDATION_FAILED: referralEmails is not a boolean' })
  put(
    @CurrentPrincipal() principal: Principal,
    @Body() body: NotificationPreferencesBodyDto,
  ): Promise<NotificationPreferencesView> {
    return this.commandBus.execute(new SetNotificationPreferences(principal.sub, body.referralEmails));
  }
}
