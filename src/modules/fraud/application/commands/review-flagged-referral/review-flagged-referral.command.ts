/** An admin's decision on a flagged referral (fraud review queue). Result: { id, status }. */
export class ReviewFlaggedReferral {
  constructor(
    readonly referralId: string,
    readonly decision: 'approve' | 'reject',
    readonly reason: string,
    /** The admin's JWT `sub`. */
    readonly actor: string,
    readonly at: Date,
  ) {}
}
