import { Controller, Get, HttpCode, Inject, Post, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../../../../platform/auth/decorators.js';
import { FORM_MEDIA_TYPES } from '../../../../platform/http/json-only.js';
import { ProblemDetailsDto } from '../../../../platform/http/problem-details.dto.js';
import { ValidationFailed } from '#libs/ddd/index.js';
import {
  CheckUnsubscribeToken,
  UnsubscribeWithToken,
} from '../../application/commands/notification-preferences.commands.js';
import { escapeHtml, page } from './unsubscribe.page.js';

const TOKEN_QUERY = {
  name: 'token',
  required: true,
  description: 'The signed token of the link in the e-mail (NOTIFICATION_LINK_SECRET, expires after 90 days)',
  example: 'eyJjIjoiY3VzXzEyMyIsImUiOjE3ODA2NjU2MDB9.3q2-7wEXAMPLEsignature',
} as const;

function tokenOf(raw: unknown): string {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 500 || !raw.isWellFormed()) {
    throw new ValidationFailed([{ field: 'token', message: 'must be the token of an unsubscribe link' }]);
  }
  return raw;
}

/**
 * RFC 8058 one-click unsubscribe. Every customer e-mail carries
 * `List-Unsubscribe: <PUBLIC_BASE_URL/api/notifications/unsubscribe?token=…>` and
 * `List-Unsubscribe-Post: List-Unsubscribe=One-Click`: the mailbox provider POSTs to that URL,
 * without cookies or a session, with a form body — the one exception to JSON-only (json-only.ts).
 * The signed token is the credential. A GET (someone following the link, or a link scanner)
 * changes nothing: it shows a page with the button that POSTs.
 */
@ApiTags('Notifications')
@Controller('api/notifications/unsubscribe')
export class UnsubscribeController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  @Get()
  @Public()
  @ApiOperation({
    operationId: 'showUnsubscribePage',
    summary: 'Unsubscribe page (confirmation)',
    description:
      'The page a customer sees when they open the unsubscribe link of an e-mail: one button that unsubscribes ' +
      '(POST to the same URL). Opening it changes nothing, so link scanners cannot unsubscribe anyone.',
  })
  @ApiQuery(TOKEN_QUERY)
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'An HTML page with the unsubscribe button', schema: { type: 'string' } })
  @ApiBadRequestResponse({
    type: ProblemDetailsDto,
    description: 'UNSUBSCRIBE_LINK_INVALID or UNSUBSCRIBE_LINK_EXPIRED',
  })
  async show(@Query('token') raw: unknown, @Res() res: Response): Promise<void> {
    const token = tokenOf(raw);
    await this.commandBus.execute<CheckUnsubscribeToken, string>(new CheckUnsubscribeToken(token));
    const action = `?token=${encodeURIComponent(token)}`;
    send(
      res,
      page(
        'Stop referral e-mails?',
        `<p>You will no longer receive e-mails about your CircleTel referrals and free months.</p>
    <form method="post" action="${escapeHtml(action)}">
      <input type="hidden" name="List-Unsubscribe" value="One-Click" />
      <button type="submit">Unsubscribe</button>
    </form>`,
      ),
    );
  }

  @Post()
  @Public()
  @HttpCode(200)
  @ApiOperation({
    operationId: 'unsubscribeOneClick',
    summary: 'One-click unsubscribe (RFC 8058)',
    description:
      'Opts the customer named by the signed token out of every referral e-mail, as `PUT ' +
      '/api/customer/notification-preferences { referralEmails: false }` would. Sent by mailbox providers ' +
      '(body `List-Unsubscribe=One-Click`, form-encoded or multipart, the only non-JSON bodies the API takes) and ' +
      'by the button of the unsubscribe page. Idempotent.',
  })
  @ApiQuery(TOKEN_QUERY)
  @ApiConsumes(...FORM_MEDIA_TYPES)
  @ApiBody({
    required: false,
    schema: {
      type: 'object',
      properties: { 'List-Unsubscribe': { type: 'string', enum: ['One-Click'] } },
    },
    examples: { oneClick: { summary: 'What RFC 8058 prescribes', value: { 'List-Unsubscribe': 'One-Click' } } },
  })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'Unsubscribed: an HTML confirmation page', schema: { type: 'string' } })
  @ApiBadRequestResponse({
    type: ProblemDetailsDto,
    description: 'UNSUBSCRIBE_LINK_INVALID or UNSUBSCRIBE_LINK_EXPIRED',
  })
  async unsubscribe(@Query('token') raw: unknown, @Res() res: Response): Promise<void> {
    await this.commandBus.execute<UnsubscribeWithToken, void>(new UnsubscribeWithToken(tokenOf(raw)));
    send(
      res,
      page(
        'You are unsubscribed',
        '<p>You will no longer receive e-mails about your CircleTel referrals. You can turn them back on in the CircleTel app.</p>',
      ),
    );
  }
}

function send(res: Response, html: string): void {
  res
    .status(200)
    .set('Content-Type', 'text/html; charset=utf-8')
    .set('Cache-Control', 'no-store')
    .set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'")
    .set('Referrer-Policy', 'no-referrer')
    .send(html);
}
