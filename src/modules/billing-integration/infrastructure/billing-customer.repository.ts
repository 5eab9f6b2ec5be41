import { Inject, Injectable } from '@nestjs/common';
import { Db } from '../../../platform/database/db.js';
import { sql } from '../../../platform/database/sql.js';
import { BillingCustomer } from '../domain/billing-customer.entity.js';
import { BillingCustomerRepository } from '../application/ports/billing-customer.repository.js';

interface CustomerRow {
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
  nameChangedAt: Date | null;
  emailChangedAt: Date | null;
  phoneChangedAt: Date | null;
  addressChangedAt: Date | null;
  erasedAt: Date | null;
}

/** billing_customers: the mirror of the billing system's customers. */
@Injectable()
export class SqlBillingCustomerRepository implements BillingCustomerRepository {
  constructor(@Inject(Db) private readonly db: Db) {}

  async exists(id: string): Promise<boolean> {
    return (await this.db.query(sql`SELECT 1 FROM billing_customers WHERE id = ${id}`)).length > 0;
  }

  async isErased(id: string): Promise<boolean> {
    return (
      (await this.db.query(sql`SELECT 1 FROM billing_customers WHERE id = ${id} AND erased_at IS NOT NULL`)).length > 0
    );
  }

  /** Loads a customer and locks its row until the transaction ends (concurrent updates queue). */
  async findForUpdate(id: string): Promise<BillingCustomer | null> {
    const row = await this.db.maybeOne<CustomerRow>(sql`
      SELECT id, name, email, email_normalized AS "emailNormalized", phone, phone_normalized AS "phoneNormalized",
             address, address_normalized AS "addressNormalized", signup_ip AS "signupIp", user_agent AS "userAgent",
             created_at AS "createdAt", updated_at AS "updatedAt", name_changed_at AS "nameChangedAt",
             email_changed_at AS "emailChangedAt", phone_changed_at AS "phoneChangedAt",
             address_changed_at AS "addressChangedAt", erased_at AS "erasedAt"
        FROM billing_customers WHERE id = ${id} FOR UPDATE`);
    return row ? toEntity(row) : null;
  }

  async saveDetails(customer: BillingCustomer): Promise<void> {
    const p = customer.props;
    await this.db.execute(sql`
      UPDATE billing_customers
         SET name = ${p.name}, email = ${p.email}, email_normalized = ${p.emailNormalized}, phone = ${p.phone},
             phone_normalized = ${p.phoneNormalized}, address = ${p.address}, address_normalized = ${p.addressNormalized},
             updated_at = ${p.updatedAt}, name_changed_at = ${p.changedAt.name}, email_changed_at = ${p.changedAt.email},
             phone_changed_at = ${p.changedAt.phone}, address_changed_at = ${p.changedAt.address}
       WHERE id = ${p.id}`);
  }

  async saveErasure(customer: BillingCustomer): Promise<void> {
    const p = customer.props;
    await this.db.execute(sql`
      UPDATE billing_customers
         SET name = ${p.name}, email = ${p.email}, email_normalized = ${p.emailNormalized}, phone = ${p.phone},
             phone_normalized = ${p.phoneNormalized}, address = ${p.address}, address_normalized = ${p.addressNormalized},
             signup_ip = ${p.signupIp}, user_agent = ${p.userAgent}, name_changed_at = ${p.changedAt.name},
             email_changed_at = ${p.changedAt.email}, phone_changed_at = ${p.changedAt.phone},
             address_changed_at = ${p.changedAt.address}, erased_at = ${p.erasedAt}
       WHERE id = ${p.id}`);
  }
}

function toEntity(row: CustomerRow): BillingCustomer {
  return BillingCustomer.rehydrate({
    id: row.id,
    name: row.name,
    email: row.email,
    emailNormalized: row.emailNormalized,
    phone: row.phone,
    phoneNormalized: row.phoneNormalized,
    address: row.address,
    addressNormalized: row.addressNormalized,
    signupIp: row.signupIp,
    userAgent: row.userAgent,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    changedAt: {
      name: row.nameChangedAt,
      email: row.emailChangedAt,
      phone: row.phoneChangedAt,
      address: row.addressChangedAt,
    },
    erasedAt: row.erasedAt,
  });
}
