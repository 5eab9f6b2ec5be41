import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { TransactionHost, type Db } from '../../../../../platform/database/transaction.js';
import { GetServicesOfCustomer, type BillingServiceView } from '#libs/contracts/index.js';
import { BusinessDate, Money } from '#libs/ddd/index.js';

/** A customer's services as the mirror knows them now, oldest activation first. */
@QueryHandler(GetServicesOfCustomer)
export class GetServicesOfCustomerHandler implements IQueryHandler<GetServicesOfCustomer, BillingServiceView[]> {
  constructor(@Inject(TransactionHost) private readonly db: Db) {}

  async execute({ customerId }: GetServicesOfCustomer): Promise<BillingServiceView[]> {
    const rows = await this.db.tx.billingService.findMany({
      where: { customerId },
      orderBy: [{ activatedAt: 'asc' }, { id: 'asc' }],
    });
    return rows.map((s) => ({
      serviceId: s.id,
      status: s.status as BillingServiceView['status'],
      monthlyPrice: Money.ofCents(s.monthlyPriceCents).toRand(),
      billingDay: s.billingDay,
      activatedAt: s.activatedAt,
      activatedOn: BusinessDate.fromDbDate(s.activatedOn).toString(),
      firstInterruptedOn: s.firstInterruptedOn ? BusinessDate.fromDbDate(s.firstInterruptedOn).toString() : null,
    }));
  }
}
