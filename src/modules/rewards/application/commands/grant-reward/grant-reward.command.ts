/** An admin grants a customer a free month by hand (SPEC §6, §10). Result: GrantRewardResult. */
export class GrantReward {
  constructor(
    readonly customerId: string,
    readonly reason: string,
    /** The admin's JWT sub. */
    readonly actor: string,
  ) {}
}

export interface GrantRewardResult {
  rewardId: string;
  status: 'pending';
  manuallyGranted: true;
  expiresAt: string;
}
