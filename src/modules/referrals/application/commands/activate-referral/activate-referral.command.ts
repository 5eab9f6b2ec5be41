/** The referred customer's service was activated (billing's service.activated). Result: ActivationResult | null (no referral). */
export class ActivateReferral {
  constructor(
    readonly referredId: string,
    readonly serviceId: string,
    /** The activation's occurredAt. */
    readonly at: Date,
    /** The billing event it came from. */
    readonly sourceEventId: string | null = null,
  ) {}
}
