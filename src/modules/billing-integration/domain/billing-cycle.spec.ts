import fc from 'fast-check';
import { BusinessDate, Money, vatInclusiveSplit } from '#libs/ddd/index.js';
import {
  billingDateIn,
  chooseTargetService,
  creditNoteNumber,
  cycleAfter,
  cycleContaining,
  cyclesOf,
  cycleStartOnOrBefore,
  firstCycle,
  freeMonthAmount,
  nextCycleStartingOnOrAfter,
  type ServiceCycle,
} from './billing-cycle.js';

const d = (iso: string) => BusinessDate.parse(iso);
const r = (rand: string) => Money.fromRand(rand);
const show = (c: { start: BusinessDate; endExclusive: BusinessDate }) => `${c.start}..${c.endExclusive}`;
const take = (n: number, it: Iterator<ServiceCycle>): ServiceCycle[] =>
  Array.from({ length: n }, () => it.next().value as ServiceCycle);

const anyDate = fc
  .integer({ min: BusinessDate.of(2023, 1, 1).dayNumber, max: BusinessDate.of(2030, 12, 31).dayNumber })
  .map(BusinessDate.fromDayNumber);
const anyBillingDay = fc.integer({ min: 1, max: 31 });
const anyPrice = fc.bigInt({ min: 100n, max: 10_000_000n }).map((c) => Money.ofCents(c)); // R1 – R100 000

describe('billing cycles', () => {
  describe('the billing date in a month', () => {
    it('is the billing day when the month has it', () => {
      expect(billingDateIn(2026, 3, 31).toString()).toBe('2026-03-31');
      expect(billingDateIn(2026, 2, 15).toString()).toBe('2026-02-15');
    });

    it("is the month's last day when the month is shorter than the billing day", () => {
      expect(billingDateIn(2026, 2, 31).toString()).toBe('2026-02-28');
      expect(billingDateIn(2024, 2, 30).toString()).toBe('2024-02-29');
      expect(billingDateIn(2026, 4, 31).toString()).toBe('2026-04-30');
    });

    it.each([0, 32, 1.5, -1, Number.NaN])('a billing day of %p is refused', (day) => {
      expect(() => billingDateIn(2026, 1, day)).toThrow(RangeError);
      expect(() => cycleContaining(d('2026-01-10'), day)).toThrow(RangeError);
    });
  });

  describe('the cycle containing a date', () => {
    it('when billing day is 1, 15 November 2026 lies in the cycle 1 November – 1 December, 30 days', () => {
      const c = cycleContaining(d('2026-11-15'), 1);
      expect(show(c)).toBe('2026-11-01..2026-12-01');
      expect(c.days).toBe(30);
    });

    it('a billing date starts its own cycle', () => {
      expect(show(cycleContaining(d('2026-11-01'), 1))).toBe('2026-11-01..2026-12-01');
      expect(cycleStartOnOrBefore(d('2026-11-01'), 1).toString()).toBe('2026-11-01');
    });

    it('the day before a billing date is the last day of the previous cycle', () => {
      expect(show(cycleContaining(d('2026-10-31'), 1))).toBe('2026-10-01..2026-11-01');
    });

    it('when billing day is 31 and the month has 30 days, the cycle starts on the 30th', () => {
      expect(cycleStartOnOrBefore(d('2026-04-30'), 31).toString()).toBe('2026-04-30');
      expect(show(cycleContaining(d('2026-05-10'), 31))).toBe('2026-04-30..2026-05-31');
    });

    it('when billing day is 31, the February cycle starts on 28 February and runs to 31 March', () => {
      const c = cycleContaining(d('2026-03-01'), 31);
      expect(show(c)).toBe('2026-02-28..2026-03-31');
      expect(c.days).toBe(31);
    });

    it('when billing day is 31, the cycle from 31 January to 28 February is 28 days', () => {
      const c = cycleContaining(d('2026-02-27'), 31);
      expect(show(c)).toBe('2026-01-31..2026-02-28');
      expect(c.days).toBe(28);
    });

    it('when billing day is 30 in a leap year, the February cycle starts on the 29th', () => {
      expect(show(cycleContaining(d('2024-02-29'), 30))).toBe('2024-02-29..2024-03-30');
      expect(show(cycleContaining(d('2024-02-28'), 30))).toBe('2024-01-30..2024-02-29');
    });

    it('a cycle can cross a year end', () => {
      expect(show(cycleContaining(d('2027-01-05'), 20))).toBe('2026-12-20..2027-01-20');
    });
  });

  describe("a service's cycles", () => {
    it('when activation is not on the billing day, the first cycle is partial and runs to the next billing date', () => {
      const c = firstCycle({ activatedOn: d('2026-11-15'), billingDay: 1 });
      expect(show(c)).toBe('2026-11-15..2026-12-01');
      expect(c.periodEnd.toString()).toBe('2026-11-30');
      expect(c).toMatchObject({ partial: true, activeDays: 16, cycleDays: 30 });
    });

    it('when activation falls on the billing day, the first cycle is full', () => {
      const c = firstCycle({ activatedOn: d('2026-11-01'), billingDay: 1 });
      expect(show(c)).toBe('2026-11-01..2026-12-01');
      expect(c).toMatchObject({ partial: false, activeDays: 30, cycleDays: 30 });
    });

    it('when billing day is 31 and activation is on 28 February, activation is on a billing date so the first cycle is full', () => {
      const c = firstCycle({ activatedOn: d('2026-02-28'), billingDay: 31 });
      expect(show(c)).toBe('2026-02-28..2026-03-31');
      expect(c.partial).toBe(false);
    });

    it('when billing day is 31 and activation is on 27 February, the first cycle is one day of a 28-day cycle', () => {
      const c = firstCycle({ activatedOn: d('2026-02-27'), billingDay: 31 });
      expect(show(c)).toBe('2026-02-27..2026-02-28');
      expect(c.periodEnd.toString()).toBe('2026-02-27');
      expect(c).toMatchObject({ partial: true, activeDays: 1, cycleDays: 28 });
    });

    it('after the first cycle come full cycles, each starting where the last ended', () => {
      const cycles = take(4, cyclesOf({ activatedOn: d('2026-11-15'), billingDay: 1 }));
      expect(cycles.map(show)).toEqual([
        '2026-11-15..2026-12-01',
        '2026-12-01..2027-01-01',
        '2027-01-01..2027-02-01',
        '2027-02-01..2027-03-01',
      ]);
      expect(cycles.map((c) => c.partial)).toEqual([true, false, false, false]);
      expect(cycles.map((c) => c.periodEnd.toString())).toEqual([
        '2026-11-30',
        '2026-12-31',
        '2027-01-31',
        '2027-02-28',
      ]);
    });

    it('when billing day is 31, full cycles follow the month ends through February', () => {
      const service = { activatedOn: d('2026-01-10'), billingDay: 31 };
      expect(take(4, cyclesOf(service)).map(show)).toEqual([
        '2026-01-10..2026-01-31',
        '2026-01-31..2026-02-28',
        '2026-02-28..2026-03-31',
        '2026-03-31..2026-04-30',
      ]);
      expect(show(cycleAfter(service, firstCycle(service)))).toBe('2026-01-31..2026-02-28');
    });

    describe('the next cycle starting on or after a date', () => {
      const service = { activatedOn: d('2026-11-15'), billingDay: 1 };

      it('on or before activation, it is the first cycle', () => {
        expect(show(nextCycleStartingOnOrAfter(service, d('2026-11-15')))).toBe('2026-11-15..2026-12-01');
        expect(nextCycleStartingOnOrAfter(service, d('2026-10-01')).partial).toBe(true);
      });

      it('a day after activation, it is the next full cycle', () => {
        const c = nextCycleStartingOnOrAfter(service, d('2026-11-16'));
        expect(show(c)).toBe('2026-12-01..2027-01-01');
        expect(c.partial).toBe(false);
      });

      it('on a billing date, it is the cycle starting that day', () => {
        expect(show(nextCycleStartingOnOrAfter(service, d('2027-01-01')))).toBe('2027-01-01..2027-02-01');
      });

      it('the day after a billing date, it is the following cycle', () => {
        expect(show(nextCycleStartingOnOrAfter(service, d('2027-01-02')))).toBe('2027-02-01..2027-03-01');
      });
    });
  });

  describe('the free-month amount', () => {
    it('billing day 1, R899, activated 15 November 2026: 16 of 30 days is R479.47', () => {
      const c = firstCycle({ activatedOn: d('2026-11-15'), billingDay: 1 });
      expect(freeMonthAmount(r('899.00'), c).toRand()).toBe('479.47');
    });

    it('a full cycle waives exactly the monthly price, whatever its length', () => {
      const service = { activatedOn: d('2026-01-10'), billingDay: 31 };
      const [, feb, mar] = take(3, cyclesOf(service));
      expect(freeMonthAmount(r('799.00'), feb!).toRand()).toBe('799.00');
      expect(freeMonthAmount(r('799.00'), mar!).toRand()).toBe('799.00');
    });

    it('a first cycle that starts on the billing day waives the full price', () => {
      const c = firstCycle({ activatedOn: d('2026-11-01'), billingDay: 1 });
      expect(freeMonthAmount(r('899.00'), c).toRand()).toBe('899.00');
    });

    it('the partial amount is rounded half-up once: R799 × 1 / 28 = 28.5357… is R28.54', () => {
      const c = firstCycle({ activatedOn: d('2026-02-27'), billingDay: 31 });
      expect(freeMonthAmount(r('799.00'), c).toRand()).toBe('28.54');
    });

    it('the VAT on the worked example adds back to the amount: R479.47 = R62.54 VAT + R416.93', () => {
      const { vat, exclVat } = vatInclusiveSplit(r('479.47'));
      expect([vat.toRand(), exclVat.toRand()]).toEqual(['62.54', '416.93']);
    });
  });

  describe('choosing the target service', () => {
    const at = (iso: string) => new Date(iso);

    it('picks the highest monthly price', () => {
      const chosen = chooseTargetService([
        { serviceId: 'a', monthlyPrice: r('499'), activatedAt: at('2025-01-01T00:00:00Z') },
        { serviceId: 'b', monthlyPrice: r('899'), activatedAt: at('2026-01-01T00:00:00Z') },
        { serviceId: 'c', monthlyPrice: r('899.00').minus(Money.ofCents(1)), activatedAt: at('2024-01-01T00:00:00Z') },
      ]);
      expect(chosen?.serviceId).toBe('b');
    });

    it('on a price tie, picks the earliest activated', () => {
      const chosen = chooseTargetService([
        { serviceId: 'a', monthlyPrice: r('899'), activatedAt: at('2026-01-01T10:00:00Z') },
        { serviceId: 'b', monthlyPrice: r('899'), activatedAt: at('2026-01-01T09:59:59.999Z') },
      ]);
      expect(chosen?.serviceId).toBe('b');
    });

    it('on a tie of price and activation, picks the lowest serviceId in string order', () => {
      const same = at('2026-01-01T00:00:00Z');
      const chosen = chooseTargetService([
        { serviceId: 'svc-b', monthlyPrice: r('899'), activatedAt: same },
        { serviceId: 'SVC-Z', monthlyPrice: r('899'), activatedAt: same },
        { serviceId: 'svc-a', monthlyPrice: r('899'), activatedAt: same },
      ]);
      // plain code-unit order: upper case sorts before lower case
      expect(chosen?.serviceId).toBe('SVC-Z');
    });

    it('the choice does not depend on the order the services are listed in', () => {
      const services = [
        { serviceId: 's2', monthlyPrice: r('899'), activatedAt: at('2026-01-01T00:00:00Z') },
        { serviceId: 's1', monthlyPrice: r('899'), activatedAt: at('2026-01-01T00:00:00Z') },
        { serviceId: 's0', monthlyPrice: r('899'), activatedAt: at('2026-02-01T00:00:00Z') },
        { serviceId: 's3', monthlyPrice: r('599'), activatedAt: at('2025-01-01T00:00:00Z') },
      ];
      expect(chooseTargetService(services)?.serviceId).toBe('s1');
      expect(chooseTargetService([...services].reverse())?.serviceId).toBe('s1');
    });

    it('with no services there is no target', () => {
      expect(chooseTargetService([])).toBeUndefined();
    });
  });

  describe('credit note numbers', () => {
    it.each([
      [2026, 1, 'CN-2026-00001'],
      [2026, 42, 'CN-2026-00042'],
      [2027, 99999, 'CN-2027-99999'],
    ])('year %p, sequence %p is %s', (year, seq, expected) => {
      expect(creditNoteNumber(year, seq)).toBe(expected);
    });

    it.each([[0], [-1], [100000], [1.5]])('a sequence of %p is refused', (seq) => {
      expect(() => creditNoteNumber(2026, seq)).toThrow(RangeError);
    });

    it.each([[999], [10000], [2026.5]])('a year of %p is refused', (year) => {
      expect(() => creditNoteNumber(year, 1)).toThrow(RangeError);
    });
  });

  describe('properties (prices R1–R100 000, billing days 1–31, activation 2023–2030)', () => {
    it('every calendar cycle is 28–31 days, starts on a billing date and contains the date it was asked for', () => {
      fc.assert(
        fc.property(anyDate, anyBillingDay, (date, day) => {
          const c = cycleContaining(date, day);
          expect(c.days).toBeGreaterThanOrEqual(28);
          expect(c.days).toBeLessThanOrEqual(31);
          expect(c.start.daysUntil(c.endExclusive)).toBe(c.days);
          expect(c.start.isOnOrBefore(date) && date.isBefore(c.endExclusive)).toBe(true);
          expect(c.start.equals(billingDateIn(c.start.year, c.start.month, day))).toBe(true);
        }),
      );
    });

    it('consecutive cycles of a service tile the calendar with no gap or overlap, and every full cycle is 28–31 days', () => {
      fc.assert(
        fc.property(anyDate, anyBillingDay, (activatedOn, billingDay) => {
          const cycles = take(14, cyclesOf({ activatedOn, billingDay }));
          expect(cycles[0]!.start.equals(activatedOn)).toBe(true);
          for (let i = 0; i < cycles.length; i++) {
            const c = cycles[i]!;
            expect(c.periodEnd.equals(c.endExclusive.plusDays(-1))).toBe(true);
            expect(c.start.daysUntil(c.endExclusive)).toBe(c.activeDays);
            expect(c.cycleDays).toBeGreaterThanOrEqual(28);
            expect(c.cycleDays).toBeLessThanOrEqual(31);
            if (i > 0) {
              expect(c.start.equals(cycles[i - 1]!.endExclusive)).toBe(true);
              expect(c.partial).toBe(false);
              expect(c.activeDays).toBe(c.cycleDays);
            }
          }
        }),
      );
    });

    it('every date from activation on falls in exactly one cycle of the service', () => {
      fc.assert(
        fc.property(anyDate, anyBillingDay, fc.integer({ min: 0, max: 400 }), (activatedOn, billingDay, offset) => {
          const date = activatedOn.plusDays(offset);
          const containing = take(15, cyclesOf({ activatedOn, billingDay })).filter(
            (c) => c.start.isOnOrBefore(date) && date.isBefore(c.endExclusive),
          );
          expect(containing).toHaveLength(1);
        }),
      );
    });

    it('the first cycle is partial exactly when activation is not on a billing date, and then has 1 to cycleDays − 1 active days', () => {
      fc.assert(
        fc.property(anyDate, anyBillingDay, (activatedOn, billingDay) => {
          const c = firstCycle({ activatedOn, billingDay });
          const onBillingDate = cycleStartOnOrBefore(activatedOn, billingDay).equals(activatedOn);
          expect(c.partial).toBe(!onBillingDate);
          if (c.partial) {
            expect(c.activeDays).toBeGreaterThanOrEqual(1);
            expect(c.activeDays).toBeLessThan(c.cycleDays);
          }
        }),
      );
    });

    it('the next cycle starting on or after a date does start on or after it, and no cycle of the service starts in between', () => {
      fc.assert(
        fc.property(anyDate, anyBillingDay, fc.integer({ min: -40, max: 400 }), (activatedOn, billingDay, offset) => {
          const service = { activatedOn, billingDay };
          const date = activatedOn.plusDays(offset);
          const next = nextCycleStartingOnOrAfter(service, date);
          expect(next.start.isOnOrAfter(date) || next.start.equals(activatedOn)).toBe(true);
          const earlier = take(16, cyclesOf(service)).filter(
            (c) => c.start.isOnOrAfter(date) && c.start.isBefore(next.start),
          );
          expect(earlier).toHaveLength(0);
          expect(take(16, cyclesOf(service)).some((c) => show(c) === show(next) && c.partial === next.partial)).toBe(
            true,
          );
        }),
      );
    });

    it('a full cycle credits exactly the price; a partial one never more than the price nor less than zero', () => {
      fc.assert(
        fc.property(anyPrice, anyDate, anyBillingDay, (price, activatedOn, billingDay) => {
          const [first, second] = take(2, cyclesOf({ activatedOn, billingDay }));
          expect(freeMonthAmount(price, second!).equals(price)).toBe(true);
          const amount = freeMonthAmount(price, first!);
          if (first!.partial) {
            expect(amount.compare(price)).toBeLessThanOrEqual(0);
            expect(amount.compare(Money.ZERO)).toBeGreaterThanOrEqual(0);
            expect(amount.equals(price.ratio(first!.activeDays, first!.cycleDays))).toBe(true);
          } else {
            expect(amount.equals(price)).toBe(true);
          }
        }),
      );
    });

    it('the VAT split of any credited amount sums to the amount', () => {
      fc.assert(
        fc.property(anyPrice, anyDate, anyBillingDay, (price, activatedOn, billingDay) => {
          const amount = freeMonthAmount(price, firstCycle({ activatedOn, billingDay }));
          const { vat, exclVat } = vatInclusiveSplit(amount);
          expect(vat.plus(exclVat).equals(amount)).toBe(true);
          expect(vat.compare(Money.ZERO)).toBeGreaterThanOrEqual(0);
          expect(exclVat.compare(Money.ZERO)).toBeGreaterThanOrEqual(0);
        }),
      );
    });

    it('leap years are covered: a 29 February activation is handled like any other date', () => {
      const c = firstCycle({ activatedOn: d('2028-02-29'), billingDay: 31 });
      expect(show(c)).toBe('2028-02-29..2028-03-31');
      expect(c.partial).toBe(false);
      const c2 = firstCycle({ activatedOn: d('2024-02-29'), billingDay: 1 });
      expect(c2).toMatchObject({ partial: true, activeDays: 1, cycleDays: 29 });
    });
  });
});
