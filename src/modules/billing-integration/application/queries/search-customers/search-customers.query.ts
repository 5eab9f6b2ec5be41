/**
 * The admin console's customer search (SPEC §14): `q` is an id, a referral code, an e-mail, a
 * phone number or part of a name. Result: CustomerSearchPage.
 */
export class SearchCustomers {
  constructor(
    readonly q: string,
    readonly limit: number,
    readonly cursor?: string,
  ) {}
}

export interface CustomerSearchItem {
  id: string;
  name: string;
  email: string;
  phone: string | null;
  referralCode: string | null;
  createdAt: string;
}

export interface CustomerSearchPage {
  items: CustomerSearchItem[];
  nextCursor: string | null;
}
