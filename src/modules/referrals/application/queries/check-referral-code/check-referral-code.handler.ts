import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ReferralCode } from '../../../domain/referral-code.value-object.js';
import { ReferralCodeNotFound } from '../../../domain/referral.errors.js';
import { ReferralCodeRepository } from '../../ports/referral-code.repository.js';
import { CheckReferralCode } from './check-referral-code.query.js';

/** Case-insensitive, trims spaces; a malformed code is simply not found (no hint about the format). */
@QueryHandler(CheckReferralCode)
export class CheckReferralCodeHandler implements IQueryHandler<
  CheckReferralCode,
  { valid: true; referrerFirstName: string }
> {
  constructor(@Inject(ReferralCodeRepository) private readonly codes: ReferralCodeRepository) {}

  async execute({ input }: CheckReferralCode): Promise<{ valid: true; referrerFirstName: string }> {
    const code = ReferralCode.tryParse(input);
    const found = code ? await this.codes.findByCodeForPublicCheck(code) : null;
    if (!found) throw new ReferralCodeNotFound(input.trim());
    return { valid: true, referrerFirstName: found.firstName };
  }
}
