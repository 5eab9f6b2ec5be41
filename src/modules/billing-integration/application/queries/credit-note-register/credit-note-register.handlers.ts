import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Money } from '#libs/ddd/index.js';
import { CreditNoteRegister } from '../../ports/credit-note-register.js';
import {
  ListCreditNoteRegister,
  StreamCreditNoteRegister,
  type CreditNoteRegisterPage,
  type CreditNoteRegisterStream,
} from './credit-note-register.query.js';
import { decodeRegisterCursor, encodeRegisterCursor, registerPeriod } from './register-period.js';

/** One page of the register, by number, with the whole period's totals (summed in the database). */
@QueryHandler(ListCreditNoteRegister)
export class ListCreditNoteRegisterHandler implements IQueryHandler<ListCreditNoteRegister, CreditNoteRegisterPage> {
  constructor(@Inject(CreditNoteRegister) private readonly register: CreditNoteRegister) {}

  async execute(query: ListCreditNoteRegister): Promise<CreditNoteRegisterPage> {
    const { from, to } = registerPeriod(query.from, query.to);
    const after = query.cursor ? decodeRegisterCursor(query.cursor) : undefined;
    const [entries, totals] = await Promise.all([
      this.register.page(from, to, query.limit + 1, after),
      this.register.totals(from, to),
    ]);
    const items = entries.slice(0, query.limit);
    const last = items[items.length - 1];
    const [year, sequence] = last ? last.number.split('-').slice(1).map(Number) : [];
    return {
      items,
      nextCursor:
        entries.length > query.limit && last ? encodeRegisterCursor({ year: year!, sequence: sequence! }) : null,
      totals: {
        count: Number(totals.count),
        inclVat: Money.ofCents(totals.inclVatCents).toRand(),
        vat: Money.ofCents(totals.vatCents).toRand(),
        exclVat: Money.ofCents(totals.exclVatCents).toRand(),
      },
    };
  }
}

/** The whole period, by number, streamed from the database (the CSV export). */
@QueryHandler(StreamCreditNoteRegister)
export class StreamCreditNoteRegisterHandler implements IQueryHandler<
  StreamCreditNoteRegister,
  CreditNoteRegisterStream
> {
  constructor(@Inject(CreditNoteRegister) private readonly register: CreditNoteRegister) {}

  async execute(query: StreamCreditNoteRegister): Promise<CreditNoteRegisterStream> {
    const { from, to } = registerPeriod(query.from, query.to);
    return this.register.stream(from, to);
  }
}
