/** What an admin's search text can mean (every part optional but the id and the name). */
export interface CustomerSearchCriteria {
  /** The text as a customer id (exact). */
  id: string;
  /** The owner of the referral code the text names, when it names one. */
  codeOwnerId: string | null;
  /** The text as a normalised e-mail address, when it is one. */
  emailNormalized: string | null;
  /** The text as a normalised (E.164) phone number, when it is one. */
  phoneNormalized: string | null;
  /** A case-insensitive substring of the name. */
  nameContains: string;
}

export interface CustomerSearchHit {
  id: string;
  name: string;
  email: string;
  phone: string | null;
  createdAt: Date;
}

/** Keyset position in the results (newest first): the last customer served. */
export interface CustomerSearchPosition {
  createdAt: Date;
  id: string;
}

/** Port: the billing mirror's customers that match any of the criteria, newest first. */
export abstract class CustomerSearch {
  /** At most `limit` customers after `after` (created_at desc, id desc). */
  abstract search(
    criteria: CustomerSearchCriteria,
    limit: number,
    after?: CustomerSearchPosition,
  ): Promise<CustomerSearchHit[]>;
}
