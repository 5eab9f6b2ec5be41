import fc from 'fast-check';
import { BusinessDate } from '#libs/ddd/index.js';
import {
  eligibleOn,
  firstEligibleDay,
  invoiceReportWins,
  invoiceStatusAsDayEnds,
  serviceStatusAsDayEnds,
  type CustomerStanding,
  type ServiceHistory,
} from './standing.js';

const d = (iso: string) => BusinessDate.parse(iso);
const at = (iso: string) => new Date(iso);

const aService = (activatedAt: string, changes: ServiceHistory['changes'] = []): ServiceHistory => ({
  serviceId: 'svc_1',
  activatedAt: at(activatedAt),
  changes: [{ status: 'activated', at: at(activatedAt) }, ...changes],
});

describe('standing as the day ends (SAST)', () => {
  it('a service counts from its activation day: 23:30 SAST on the 4th is the 4th, not the 5th', () => {
    const s = aService('2026-03-04T21:30:00.000Z');
    expect(serviceStatusAsDayEnds(s, d('2026-03-03'))).toBeNull();
    expect(serviceStatusAsDayEnds(s, d('2026-03-04'))).toBe('active');
  });

  it('a suspension on a day makes the service suspended as that day ends; a reactivation ends it', () => {
    const s = aService('2026-01-01T08:00:00.000Z', [
      { status: 'suspended', at: at('2026-02-10T08:00:00.000Z') },
      { status: 'reactivated', at: at('2026-02-15T08:00:00.000Z') },
    ]);
    expect(serviceStatusAsDayEnds(s, d('2026-02-09'))).toBe('active');
    expect(serviceStatusAsDayEnds(s, d('2026-02-10'))).toBe('suspended');
    expect(serviceStatusAsDayEnds(s, d('2026-02-14'))).toBe('suspended');
    expect(serviceStatusAsDayEnds(s, d('2026-02-15'))).toBe('active');
  });

  it('reports are judged by when they happened, not when they arrived', () => {
    const lateOlder = aService('2026-01-01T08:00:00.000Z', [
      { status: 'reactivated', at: at('2026-02-15T08:00:00.000Z') },
      { status: 'suspended', at: at('2026-02-10T08:00:00.000Z') },
    ]);
    expect(serviceStatusAsDayEnds(lateOlder, d('2026-02-20'))).toBe('active');
  });

  it('an invoice paid at the instant it fell overdue is paid (the customer’s benefit)', () => {
    const same = at('2026-02-10T08:00:00.000Z');
    expect(invoiceReportWins({ status: 'overdue', at: same }, { status: 'paid', at: same })).toBe(true);
    expect(invoiceReportWins({ status: 'paid', at: same }, { status: 'overdue', at: same })).toBe(false);
    expect(
      invoiceStatusAsDayEnds(
        {
          invoiceId: 'inv_1',
          reports: [
            { status: 'paid', at: same },
            { status: 'overdue', at: same },
          ],
        },
        d('2026-02-10'),
      ),
    ).toBe('paid');
  });

  it('eligible needs both an active service and no overdue invoice; the first eligible day is found in a range', () => {
    const standing: CustomerStanding = {
      services: [aService('2026-01-05T08:00:00.000Z')],
      invoices: [
        {
          invoiceId: 'inv_1',
          reports: [
            { status: 'overdue', at: at('2026-03-05T08:00:00.000Z') },
            { status: 'paid', at: at('2026-03-09T08:00:00.000Z') },
          ],
        },
      ],
    };
    expect(eligibleOn(standing, d('2026-01-04'))).toBe(false);
    expect(eligibleOn(standing, d('2026-03-04'))).toBe(true);
    expect(eligibleOn(standing, d('2026-03-05'))).toBe(false);
    expect(firstEligibleDay(standing, d('2026-03-05'), d('2026-03-08'))).toBeNull();
    expect(firstEligibleDay(standing, d('2026-03-05'), d('2026-03-31'))?.toString()).toBe('2026-03-09');
  });

  it('what a day is judged by never depends on reports from later days (runs replay)', () => {
    const day = fc.integer({ min: 0, max: 60 });
    fc.assert(
      fc.property(
        fc.array(fc.tuple(day, fc.constantFrom('suspended', 'reactivated', 'cancelled')), { maxLength: 8 }),
        day,
        (reports, judged) => {
          const start = d('2026-01-01');
          const when = (n: number) => start.plusDays(n).startOfDay();
          const all = aService(
            '2026-01-01T08:00:00.000Z',
            reports.map(([n, status]) => ({ status, at: when(n) })),
          );
          const known = aService(
            '2026-01-01T08:00:00.000Z',
            reports.filter(([n]) => n <= judged).map(([n, status]) => ({ status, at: when(n) })),
          );
          expect(serviceStatusAsDayEnds(all, start.plusDays(judged))).toBe(
            serviceStatusAsDayEnds(known, start.plusDays(judged)),
          );
        },
      ),
    );
  });
});
