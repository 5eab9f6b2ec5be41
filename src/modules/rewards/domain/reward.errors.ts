import { DomainError } from '#libs/ddd/index.js';
import type { RewardStatus } from './reward.aggregate.js';

export class RewardNotFound extends DomainError {
  readonly code = 'REWARD_NOT_FOUND';
  readonly kind = 'not_found' as const;
  constructor(rewardId: string) {
    super(`No reward ${rewardId} for this customer.`);
  }
}

export class RewardNotRevocable extends DomainError {
  readonly code = 'REWARD_NOT_REVOCABLE';
  readonly kind = 'conflict' as const;
  constructor(rewardId: string, status: RewardStatus) {
    super(`Reward ${rewardId} is ${status}; only a pending reward can be revoked.`);
  }
}

export class RewardNotPending extends DomainError {
  readonly code = 'REWARD_NOT_PENDING';
  readonly kind = 'conflict' as const;
  constructor(rewardId: string, status: RewardStatus) {
    super(`Reward ${rewardId} is ${status}, not pending.`);
  }
}

export class RewardNotExpiredYet extends DomainError {
  readonly code = 'REWARD_NOT_EXPIRED_YET';
  readonly kind = 'conflict' as const;
  constructor(rewardId: string, expiresOn: string) {
    super(`Reward ${rewardId} expires on ${expiresOn}.`);
  }
}

export class CustomerNotFound extends DomainError {
  readonly code = 'CUSTOMER_NOT_FOUND';
  readonly kind = 'not_found' as const;
  constructor(customerId: string) {
    super(`No customer ${customerId}.`);
  }
}
