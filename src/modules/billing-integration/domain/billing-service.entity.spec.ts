import { Money } from '#libs/ddd/index.js';
import { BillingService, type ServiceStatusChange } from './billing-service.entity.js';

const at = (iso: string) => new Date(iso);
const ACTIVATED = '2026-01-31T22:30:00.000Z'; // 1 February 00:30 SAST

const aService = () =>
  BillingService.activate(
    { id: 'svc_1', customerId: 'cus_1', monthlyPrice: Money.fromRand('799.00'), billingDay: 1 },
    at(ACTIVATED),
  );

describe('BillingService', () => {
  describe('activation', () => {
    it('is active from its activation, at its price, on the SAST date of activation', () => {
      const p = aService().props;
      expect(p.status).toBe('active');
      expect(p.monthlyPrice.toRand()).toBe('799.00');
      expect(p.activatedOn.toString()).toBe('2026-02-01');
      expect(p.firstInterruptedOn).toBeNull();
    });

    it.each([0, 32, 1.5])('refuses billing day %p', (billingDay) => {
      expect(() =>
        BillingService.activate(
          { id: 's', customerId: 'c', monthlyPrice: Money.fromRand('1.00'), billingDay },
          at(ACTIVATED),
        ),
      ).toThrow(RangeError);
    });
  });

  describe('status changes', () => {
    it('a suspension makes it suspended and remembers the SAST date of the first interruption', () => {
      const s = aService();
      s.recordStatusChange('suspended', at('2026-02-10T23:00:00.000Z')); // 11 Feb SAST
      expect(s.props.status).toBe('suspended');
      expect(s.props.firstInterruptedOn?.toString()).toBe('2026-02-11');
    });

    it('a reactivation makes it active again but the first interruption is not forgotten', () => {
      const s = aService();
      s.recordStatusChange('suspended', at('2026-02-10T08:00:00.000Z'));
      s.recordStatusChange('reactivated', at('2026-02-12T08:00:00.000Z'));
      expect(s.props.status).toBe('active');
      expect(s.props.firstInterruptedOn?.toString()).toBe('2026-02-10');
    });

    it('suspended then reactivated, delivered in reverse, ends active', () => {
      const s = aService();
      s.recordStatusChange('reactivated', at('2026-02-12T08:00:00.000Z'));
      s.recordStatusChange('suspended', at('2026-02-10T08:00:00.000Z'));
      expect(s.props.status).toBe('active');
      expect(s.props.statusChangedAt.toISOString()).toBe('2026-02-12T08:00:00.000Z');
      expect(s.props.firstInterruptedOn?.toString()).toBe('2026-02-10');
    });

    it('the first interruption is the earliest, whatever order they arrive in', () => {
      const s = aService();
      s.recordStatusChange('cancelled', at('2026-03-20T08:00:00.000Z'));
      s.recordStatusChange('suspended', at('2026-02-15T08:00:00.000Z'));
      s.recordStatusChange('suspended', at('2026-03-01T08:00:00.000Z'));
      expect(s.props.status).toBe('cancelled');
      expect(s.props.firstInterruptedOn?.toString()).toBe('2026-02-15');
    });

    it('a change dated before the activation is remembered as an interruption but does not replace the current status', () => {
      const s = aService();
      s.recordStatusChange('suspended', at('2026-01-20T08:00:00.000Z'));
      expect(s.props.status).toBe('active');
      expect(s.props.firstInterruptedOn?.toString()).toBe('2026-01-20');
    });

    it('for every delivery order of a history, the current status is the latest one reported', () => {
      const history: [ServiceStatusChange, string][] = [
        ['suspended', '2026-02-01T00:00:00.000Z'],
        ['reactivated', '2026-02-05T00:00:00.000Z'],
        ['suspended', '2026-02-09T00:00:00.000Z'],
        ['cancelled', '2026-02-20T00:00:00.000Z'],
      ];
      const permutations = (xs: number[]): number[][] =>
        xs.length <= 1
          ? [xs]
          : xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
      for (const order of permutations([0, 1, 2, 3])) {
        const s = aService();
        for (const i of order) s.recordStatusChange(history[i]![0], at(history[i]![1]));
        expect(s.props.status).toBe('cancelled');
        expect(s.props.firstInterruptedOn?.toString()).toBe('2026-02-01');
      }
    });
  });

  describe('price changes', () => {
    it('a later price becomes current', () => {
      const s = aService();
      s.changePrice(Money.fromRand('899.00'), at('2026-03-01T00:00:00.000Z'));
      expect(s.props.monthlyPrice.toRand()).toBe('899.00');
    });

    it('a price effective before the current one, delivered late, does not replace it', () => {
      const s = aService();
      s.changePrice(Money.fromRand('999.00'), at('2026-04-01T00:00:00.000Z'));
      s.changePrice(Money.fromRand('899.00'), at('2026-03-01T00:00:00.000Z'));
      expect(s.props.monthlyPrice.toRand()).toBe('999.00');
      expect(s.props.priceEffectiveAt.toISOString()).toBe('2026-04-01T00:00:00.000Z');
    });
  });
});
