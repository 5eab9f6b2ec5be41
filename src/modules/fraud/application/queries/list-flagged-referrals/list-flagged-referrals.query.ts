/** The review queue: flagged referrals not yet reviewed, oldest first. Result: FlaggedPage. */
export class ListFlaggedReferrals {
  constructor(
    readonly limit: number,
    readonly cursor?: string,
  ) {}
}
