import { Inject, Injectable } from '@nestjs/common';
import { sql } from '../../../platform/database/sql.js';
import { TransactionHost, type Db } from '../../../platform/database/transaction.js';
import type { BillingCustomerModel } from '../../../platform/database/generated/models.js';
import { BillingCustomer } from '../domain/billing-customer.entity.js';

/** billing_customers: the mirror of the billing system's customers. */
@Injectable()
export class PrismaBillingCustomerRepository {
  constructor(@Inject(TransactionHost) private readonly db: Db) {}

  async exists(id: string): Promise<boolean> {
    return (await this.db.sql(sql`SELECT 1 FROM billing_customers WHERE id = ${id}`)).length > 0;
  }

  /** Loads a customer and locks its row until the transaction ends (concurrent updates queue). */
  async findForUpdate(id: string): Promise<BillingCustomer | null> {
    const locked = await this.db.tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM billing_customers WHERE id = ${id} FOR UPDATE`;
    if (locked.length === 0) return null;
    const row = await this.db.tx.billingCustomer.findUniqueOrThrow({ where: { id } });
    return toEntity(row);
  }

  async saveDetails(customer: BillingCustomer): Promise<void> {
    const p = customer.props;
    await this.db.tx.billingCustomer.update({
      where: { id: p.id },
      data: {
        name: p.name,
        email: p.email,
        emailNormalized: p.emailNormalized,
        phone: p.phone,
        phoneNormalized: p.phoneNormalized,
        address: p.address,
        addressNormalized: p.addressNormalized,
        updatedAt: p.updatedAt,
        nameChangedAt: p.changedAt.name,
        emailChangedAt: p.changedAt.email,
        phoneChangedAt: p.changedAt.phone,
        addressChangedAt: p.changedAt.address,
      },
    });
  }
}

function toEntity(row: BillingCustomerModel): BillingCustomer {
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
  });
}
