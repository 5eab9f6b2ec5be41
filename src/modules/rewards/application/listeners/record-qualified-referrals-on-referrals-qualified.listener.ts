import { Injectable } from '@nestjs/common';
import { ReferralsQualified } from '#libs/contracts/index.js';
import {
  OnIntegrationEvent,
  type IntegrationEventHandler,
} from '../../../../platform/messaging/integration-event-bus.js';
import { QualifiedReferralLedger } from '../ports/qualified-referral-ledger.js';

/** Adds newly qualified referrals to the Rewards ledger, in the qualifying transaction. */
@Injectable()
@OnIntegrationEvent(ReferralsQualified.TYPE)
export class RecordQualifiedReferralsOnReferralsQualified implements IntegrationEventHandler<ReferralsQualified> {
  constructor(private readonly ledger: QualifiedReferralLedger) {}

  async handle(event: ReferralsQualified): Promise<void> {
    await this.ledger.record(event.items);
  }
}
