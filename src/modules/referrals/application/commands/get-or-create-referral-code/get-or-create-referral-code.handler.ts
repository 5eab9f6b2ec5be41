import { Inject } from '@nestjs/common';
import { CommandHandler, QueryBus, type ICommandHandler } from '@nestjs/cqrs';
import { GetCustomerSummary, type CustomerSummary } from '#libs/contracts/index.js';
import { ReferralCode } from '../../../domain/referral-code.value-object.js';
import { CustomerNotFound } from '../../../domain/referral.errors.js';
import { firstNameOf } from '#libs/ddd/index.js';
import { ReferralCodeRepository } from '../../ports/referral-code.repository.js';
import { GetOrCreateReferralCode, type GetOrCreateReferralCodeResult } from './get-or-create-referral-code.command.js';

/** 32^8 ≈ 1.1e12 codes: a clash is rare, several in a row practically impossible. */
const MAX_ATTEMPTS = 5;

@CommandHandler(GetOrCreateReferralCode)
export class GetOrCreateReferralCodeHandler implements ICommandHandler<
  GetOrCreateReferralCode,
  GetOrCreateReferralCodeResult
> {
  constructor(
    @Inject(QueryBus) private readonly queryBus: QueryBus,
    @Inject(ReferralCodeRepository) private readonly codes: ReferralCodeRepository,
  ) {}

  /**
   * No transaction: every step is one atomic statement (the insert is INSERT … ON CONFLICT DO
   * NOTHING on customer_id and code), and the common case — the code exists — is one read, then
   * answered from this instance's memory (a customer's code never changes).
   */
  async execute({ customerId }: GetOrCreateReferralCode): Promise<GetOrCreateReferralCodeResult> {
    const existing = await this.codes.findCodeOf(customerId);
    if (existing) return { code: existing, created: false };
    const customer = await this.queryBus.execute<GetCustomerSummary, CustomerSummary | null>(
      new GetCustomerSummary(customerId),
    );
    if (!customer) throw new CustomerNotFound(customerId);
    const firstName = firstNameOf(customer.name);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const code = ReferralCode.generate();
      if (await this.codes.insertIfAbsent(customerId, code, firstName)) return { code: code.value, created: true };
      // Nothing inserted: either a concurrent call created this customer's code, or the code clashed.
      const winner = await this.codes.findCodeOf(customerId);
      if (winner) return { code: winner, created: false };
    }
    throw new Error(`could not find a free referral code after ${MAX_ATTEMPTS} attempts`);
  }
}
