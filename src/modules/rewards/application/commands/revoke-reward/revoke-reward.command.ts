/** An admin revokes a customer's pending reward (SPEC §6, §10). Result: RevokeRewardResult. */
export class RevokeReward {
  constructor(
    readonly customerId: string,
    readonly rewardId: string,
    readonly reason: string,
    /** The admin's JWT sub. */
    readonly actor: string,
  ) {}
}

export interface RevokeRewardResult {
  rewardId: string;
  status: 'revoked';
  revokedAt: string;
}
