import { Inject, Injectable } from '@nestjs/common';
import { sql } from '../../../platform/database/sql.js';
import { Db } from '../../../platform/database/db.js';
import { ReferralCode } from '../domain/referral-code.value-object.js';
import { ReferralCodeRepository, type StoredReferralCode } from '../application/ports/referral-code.repository.js';

/** How long the public code check may answer from this instance's memory. */
const PUBLIC_CHECK_TTL_MS = 30_000;
const PUBLIC_CHECK_MAX_ENTRIES = 50_000;
const OWNER_MAX_ENTRIES = 100_000;
/**
 * How long attribution may trust an owner read earlier. A code never changes owner, but it stops
 * resolving when its owner's personal data is erased (SPEC §16): this instance forgets it at
 * once, other instances within a minute.
 */
const OWNER_TTL_MS = 60_000;

/** Referral codes: one permanent code per customer (primary key customer_id, unique code). */
@Injectable()
export class SqlReferralCodeRepository implements ReferralCodeRepository {
  /**
   * The public code check is the hottest read (every visit to a referral link) and a code never
   * changes owner, so existing codes are kept in memory for 30 s. Only the first name can change
   * (customer.updated): this instance forgets the entry at once, other instances within 30 s.
   */
  private readonly publicCheckCache = new Map<string, { value: StoredReferralCode; until: number }>();

  /**
   * Who owns a code, for attribution (every signup with a code). A code never changes owner, so
   * an owner once read is kept for OWNER_TTL_MS (bounded, oldest dropped first). Unknown codes
   * are not kept: the code may be created a moment later.
   */
  private readonly owners = new Map<string, { owner: { customerId: string; code: string }; until: number }>();
  /** The other direction, for get-or-create (the customer app asks on every visit): same rules. */
  private readonly codesOfCustomers = new Map<string, string>();

  constructor(@Inject(Db) private readonly db: Db) {}

  async findOwner(code: ReferralCode): Promise<{ customerId: string; code: string } | null> {
    const now = Date.now();
    const known = this.owners.get(code.value);
    if (known && known.until > now) return known.owner;
    const found = await this.findByCode(code);
    if (!found) return null;
    const owner = { customerId: found.customerId, code: found.code };
    remember(this.owners, code.value, { owner, until: now + OWNER_TTL_MS }, OWNER_MAX_ENTRIES);
    return owner;
  }

  async findByCodeForPublicCheck(code: ReferralCode): Promise<StoredReferralCode | null> {
    const now = Date.now();
    const hit = this.publicCheckCache.get(code.value);
    if (hit && hit.until > now) return hit.value;
    const found = await this.findByCode(code);
    if (found)
      remember(
        this.publicCheckCache,
        code.value,
        { value: found, until: now + PUBLIC_CHECK_TTL_MS },
        PUBLIC_CHECK_MAX_ENTRIES,
      );
    return found;
  }

  /** The customer's code, if it has one; kept once read (a customer's code never changes). */
  async findCodeOf(customerId: string): Promise<string | null> {
    const known = this.codesOfCustomers.get(customerId);
    if (known) return known;
    const found = await this.findByCustomer(customerId);
    if (!found) return null;
    // Only what is committed: inside a transaction the row could be this transaction's own insert.
    if (this.db.inTransaction) return found.code;
    remember(this.codesOfCustomers, customerId, found.code, OWNER_MAX_ENTRIES);
    return found.code;
  }

  async findByCustomer(customerId: string): Promise<StoredReferralCode | null> {
    return this.db.maybeOne<StoredReferralCode>(sql`
      SELECT customer_id AS "customerId", code, first_name AS "firstName" FROM referral_codes WHERE customer_id = ${customerId}`);
  }

  async findByCode(code: ReferralCode): Promise<StoredReferralCode | null> {
    return this.db.maybeOne<StoredReferralCode>(sql`
      SELECT customer_id AS "customerId", code, first_name AS "firstName" FROM referral_codes
       WHERE code = ${code.value} AND erased_at IS NULL`);
  }

  /**
   * Inserts the customer's code unless one exists. `ON CONFLICT DO NOTHING` (no target) covers
   * both unique keys without aborting the transaction: a concurrent first call for the same
   * customer waits for the other insert and then does nothing (the caller reads the winner's
   * code), and a clash with another customer's code also does nothing (the caller retries with
   * a new code). Returns whether this call created the row.
   */
  async insertIfAbsent(customerId: string, code: ReferralCode, firstName: string): Promise<boolean> {
    const inserted = await this.db.execute(sql`
      INSERT INTO referral_codes (customer_id, code, first_name) VALUES (${customerId}, ${code.value}, ${firstName})
      ON CONFLICT DO NOTHING`);
    return inserted === 1;
  }

  /**
   * Erasure (SPEC §16): the owner's first name goes and the code stops resolving (public check,
   * attribution); the row stays, so the referrals made with it keep their code. This instance's
   * caches forget it at once.
   */
  async erase(customerId: string, at: Date): Promise<void> {
    const row = await this.db.maybeOne<{ code: string }>(sql`
      UPDATE referral_codes SET first_name = '', erased_at = coalesce(erased_at, ${at}::timestamptz)
       WHERE customer_id = ${customerId} RETURNING code`);
    if (!row) return;
    this.publicCheckCache.delete(row.code);
    this.owners.delete(row.code);
  }

  async updateFirstName(customerId: string, firstName: string): Promise<void> {
    await this.db.execute(sql`UPDATE referral_codes SET first_name = ${firstName} WHERE customer_id = ${customerId}`);
    const cached = await this.findByCustomer(customerId);
    if (cached) this.publicCheckCache.delete(cached.code);
  }
}

/** Sets `key` as the newest entry; when `max` entries are held, the oldest goes (a Map iterates in insertion order). */
function remember<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.delete(key);
  if (map.size >= max) map.delete(map.keys().next().value!);
  map.set(key, value);
}
