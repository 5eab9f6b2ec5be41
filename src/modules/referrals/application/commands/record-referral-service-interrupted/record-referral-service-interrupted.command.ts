/** The referred customer's service was suspended or cancelled (billing). Result: void. */
export class RecordReferralServiceInterrupted {
  constructor(
    readonly referredId: string,
    readonly serviceId: string,
    readonly at: Date,
    /** The billing event it came from. */
    readonly sourceEventId: string | null = null,
  ) {}
}
