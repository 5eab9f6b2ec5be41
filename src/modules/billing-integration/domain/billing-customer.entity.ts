import { normaliseAddress, normaliseEmail, normalisePhone, type PersonalDataInput } from '#libs/ddd/index.js';

/** The contact fields a customer.updated may change, each with its own last-writer time. */
export const CUSTOMER_DETAIL_FIELDS = ['name', 'email', 'phone', 'address'] as const;
export type CustomerDetailField = (typeof CUSTOMER_DETAIL_FIELDS)[number];

export interface BillingCustomerProps {
  id: string;
  name: string;
  email: string;
  emailNormalized: string;
  phone: string | null;
  phoneNormalized: string | null;
  address: string | null;
  addressNormalized: string | null;
  signupIp: string | null;
  userAgent: string | null;
  createdAt: Date;
  updatedAt: Date;
  /** occurredAt of the update that last set each field; null = as of createdAt. */
  changedAt: Record<CustomerDetailField, Date | null>;
  /** When the personal data was erased (SPEC §16); null: never. */
  erasedAt: Date | null;
}

export interface NewCustomer {
  id: string;
  name: string;
  email: string;
  phone?: string | null;
  address?: string | null;
  signupIp?: string | null;
  userAgent?: string | null;
}

/** A customer.updated: only the fields present change; null clears phone or address. */
export interface CustomerChanges {
  name?: string;
  email?: string;
  phone?: string | null;
  address?: string | null;
}

/**
 * The mirror of a billing-system customer, with the normalised email, phone and address the
 * fraud rules compare (SPEC §5). Updates may arrive out of order: each field keeps the value of
 * the update with the latest occurredAt (on a tie, the one delivered last), so a late, older
 * update never overwrites a newer value — but still sets the fields nobody has changed since.
 */
export class BillingCustomer {
  private constructor(private state: BillingCustomerProps) {}

  /** A customer.created: the customer signed up at `at` (its occurredAt). */
  static register(input: NewCustomer, at: Date): BillingCustomer {
    const phone = input.phone ?? null;
    const address = input.address ?? null;
    return new BillingCustomer({
      id: input.id,
      name: input.name,
      email: input.email,
      emailNormalized: normaliseEmail(input.email),
      phone,
      phoneNormalized: normalisedPhone(phone),
      address,
      addressNormalized: normalisedAddress(address),
      signupIp: input.signupIp ?? null,
      userAgent: input.userAgent ?? null,
      createdAt: at,
      updatedAt: at,
      changedAt: { name: null, email: null, phone: null, address: null },
      erasedAt: null,
    });
  }

  static rehydrate(props: BillingCustomerProps): BillingCustomer {
    return new BillingCustomer({ ...props, changedAt: { ...props.changedAt } });
  }

  get id(): string {
    return this.state.id;
  }

  get props(): Readonly<BillingCustomerProps> {
    return this.state;
  }

  /**
   * Applies a customer.updated that happened at `at`. Returns the fields it set — empty when
   * every field it carries was already set by a later update (nothing changes then).
   */
  applyChanges(changes: CustomerChanges, at: Date): CustomerDetailField[] {
    const applied = CUSTOMER_DETAIL_FIELDS.filter(
      (field) => changes[field] !== undefined && at.getTime() >= this.lastChanged(field).getTime(),
    );
    if (applied.length === 0) return applied;
    const next: BillingCustomerProps = { ...this.state, changedAt: { ...this.state.changedAt } };
    for (const field of applied) {
      next.changedAt[field] = at;
      switch (field) {
        case 'name':
          next.name = changes.name!;
          break;
        case 'email':
          next.email = changes.email!;
          next.emailNormalized = normaliseEmail(changes.email!);
          break;
        case 'phone':
          next.phone = changes.phone ?? null;
          next.phoneNormalized = normalisedPhone(next.phone);
          break;
        case 'address':
          next.address = changes.address ?? null;
          next.addressNormalized = normalisedAddress(next.address);
          break;
      }
    }
    if (at.getTime() > next.updatedAt.getTime()) next.updatedAt = at;
    this.state = next;
    return applied;
  }

  /**
   * POPIA erasure (SPEC §16): name, e-mail, phone, address, signup IP and user agent are removed;
   * the id, dates and history stay. Every contact field counts as last written at `at`, so an
   * update that happened before the erasure (a late or replayed event) never brings a value back,
   * while one that happened after it (the customer gave the data anew) sets it again. Returns the
   * personal data that was held, for the other records to be cleaned of it; null when the
   * customer was already erased (nothing changes: the first erasure stands).
   */
  erase(at: Date): PersonalDataInput | null {
    if (this.state.erasedAt) return null;
    const s = this.state;
    const held: PersonalDataInput = {
      name: s.name,
      email: s.email,
      emailNormalized: s.emailNormalized,
      phone: s.phone,
      phoneNormalized: s.phoneNormalized,
      address: s.address,
      addressNormalized: s.addressNormalized,
      signupIp: s.signupIp,
      userAgent: s.userAgent,
    };
    const latest = (field: CustomerDetailField) => {
      const changed = this.lastChanged(field);
      return changed.getTime() > at.getTime() ? changed : at;
    };
    this.state = {
      ...s,
      name: '',
      email: '',
      emailNormalized: '',
      phone: null,
      phoneNormalized: null,
      address: null,
      addressNormalized: null,
      signupIp: null,
      userAgent: null,
      changedAt: { name: latest('name'), email: latest('email'), phone: latest('phone'), address: latest('address') },
      erasedAt: at,
    };
    return held;
  }

  private lastChanged(field: CustomerDetailField): Date {
    return this.state.changedAt[field] ?? this.state.createdAt;
  }
}

/** E.164, or null when there is no phone or it is not a valid number (kept raw, never matched). */
function normalisedPhone(phone: string | null): string | null {
  return phone === null ? null : (normalisePhone(phone) ?? null);
}

/** Null for no address, or one that is only punctuation (an empty value must never match another). */
function normalisedAddress(address: string | null): string | null {
  if (address === null) return null;
  return normaliseAddress(address) || null;
}
