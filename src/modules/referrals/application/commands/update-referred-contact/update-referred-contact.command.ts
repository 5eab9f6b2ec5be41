/** A customer's name or email changed in billing. Result: void. */
export class UpdateReferredContact {
  constructor(
    readonly customerId: string,
    readonly name: string,
    readonly email: string,
  ) {}
}
