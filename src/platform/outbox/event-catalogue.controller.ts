import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../auth/decorators.js';
import { asyncApiDocument } from './asyncapi.js';

/** `GET /docs/events.json`: the AsyncAPI 3 document of the outbound webhooks (from the event catalogue). */
@Public()
@ApiExcludeController()
@Controller('docs')
export class EventCatalogueController {
  private document: Record<string, unknown> | undefined;

  @Get('events.json')
  @Header('Content-Type', 'application/json; charset=utf-8')
  events(): Record<string, unknown> {
    // The catalogue is complete once every context is loaded: built on first request, then kept.
    return (this.document ??= asyncApiDocument());
  }
}
