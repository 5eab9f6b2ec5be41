import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { PurgeInboundEventPayloads } from '#libs/contracts/index.js';
import { Db, Transactional } from '../../../../../platform/database/db.js';
import { InboundEventRepository } from '../../ports/inbound-event.repository.js';

/** Retention (SPEC §16): one batch of old inbound payloads removed, in its own short transaction. */
@CommandHandler(PurgeInboundEventPayloads)
export class PurgeInboundEventPayloadsHandler implements ICommandHandler<PurgeInboundEventPayloads, number> {
  constructor(
    @Inject(Db) private readonly db: Db,
    @Inject(InboundEventRepository) private readonly inbound: InboundEventRepository,
  ) {}

  @Transactional()
  execute({ receivedBefore, batchSize }: PurgeInboundEventPayloads): Promise<number> {
    return this.inbound.purgePayloads(receivedBefore, batchSize);
  }
}
