import { startTestApp, type TestApp } from '../support/app.js';
import { customerCreated, serviceActivated, uniqueId } from '../support/billing.js';
import { hoursAfter, saMobile, signUp } from './fraud-support.js';
import { aReferrer, billing } from '../support/builders.js';

describe('fraud screening at attribution (SPEC §5)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('SELF_REFERRAL', () => {
    it('rejects a referred email equal to the referrer’s after gmail dots and +tags are normalised', async () => {
      const local = uniqueId('thandi').toLowerCase().replace(/_/g, '');
      const referrer = await aReferrer(t, { email: `${local}@gmail.com` });
      const dotted = `${local.slice(0, 3)}.${local.slice(3)}+referral@GoogleMail.com`;
      const s = await signUp(t, referrer.code, '2026-02-01T08:00:00.000Z', { email: dotted });
      expect(s.outcome).toBe('rejected');
      expect(s.status).toBe('rejected');
      expect(s.rules).toContain('SELF_REFERRAL');

      const { rows } = await t.sql.query(
        `SELECT detail, evidence FROM fraud_findings WHERE referral_id = $1 AND rule = 'SELF_REFERRAL'`,
        [s.referralId],
      );
      expect(rows[0].detail).toBe(`email matches referrer's email (${local[0]}***@gmail.com normalised)`);
      expect(rows[0].evidence.matchedFields).toEqual(['email']);
    });

    it.each([['0821234567'], ['+27 82 123 4567'], ['27821234567']])(
      'rejects a referred phone written as %s when the referrer’s is the same number written 082 123 4567',
      async (written) => {
        const local = saMobile();
        const digits = local.replace(/\s/g, '').slice(1);
        const referrer = await aReferrer(t, { phone: local });
        const phone = written
          .replace('821234567', digits)
          .replace('82 123 4567', `${digits.slice(0, 2)} ${digits.slice(2, 5)} ${digits.slice(5)}`);
        const s = await signUp(t, referrer.code, '2026-02-02T08:00:00.000Z', { phone });
        expect(s.outcome).toBe('rejected');
        expect(s.rules).toEqual(['SELF_REFERRAL']);
      },
    );

    it('rejects an installation address differing only in case, punctuation and spaces', async () => {
      const street = `${Math.floor(Math.random() * 900 + 100)} Jacaranda Street`;
      const referrer = await aReferrer(t, { installationAddress: `${street}, Sandton, 2196` });
      const s = await signUp(t, referrer.code, '2026-02-03T08:00:00.000Z', {
        installationAddress: `  ${street.toUpperCase()}.   sandton  2196 `,
      });
      expect(s.outcome).toBe('rejected');
      expect(s.rules).toEqual(['SELF_REFERRAL']);
    });

    it('accepts a referred customer whose phone and address differ from the referrer’s by one character', async () => {
      const referrer = await aReferrer(t, { phone: '083 555 0001', installationAddress: '1 Long St, Cape Town' });
      const s = await signUp(t, referrer.code, '2026-02-04T08:00:00.000Z', {
        phone: '083 555 0002',
        installationAddress: '11 Long St, Cape Town',
      });
      expect(s.outcome).toBe('accepted');
      expect(s.rules).toEqual([]);
      expect(s.status).toBe('pending');
    });
  });

  describe('REFERRER_INACTIVE', () => {
    it('rejects a signup while the referrer has no active service, and accepts once they have one', async () => {
      const referrer = await aReferrer(t, {}, { active: false });
      const before = await signUp(t, referrer.code, '2026-02-05T08:00:00.000Z');
      expect(before.outcome).toBe('rejected');
      expect(before.rules).toEqual(['REFERRER_INACTIVE']);

      await billing(t, serviceActivated(referrer.customerId, {}, '2026-02-06T08:00:00.000Z'));
      const after = await signUp(t, referrer.code, '2026-02-07T08:00:00.000Z');
      expect(after.outcome).toBe('accepted');
    });
  });

  describe('DUPLICATE_REFERRAL', () => {
    it('rejects an email already referred by someone else, however it is dotted or tagged', async () => {
      const local = uniqueId('sipho').toLowerCase().replace(/_/g, '');
      const first = await aReferrer(t);
      const second = await aReferrer(t);
      const a = await signUp(t, first.code, '2026-02-08T08:00:00.000Z', { email: `${local}@gmail.com` });
      expect(a.outcome).toBe('accepted');
      const b = await signUp(t, second.code, '2026-02-09T08:00:00.000Z', {
        email: `${local.slice(0, 2)}.${local.slice(2)}+2@gmail.com`,
      });
      expect(b.outcome).toBe('rejected');
      expect(b.rules).toContain('DUPLICATE_REFERRAL');

      const { rows } = await t.sql.query(
        `SELECT evidence FROM fraud_findings WHERE referral_id = $1 AND rule = 'DUPLICATE_REFERRAL'`,
        [b.referralId],
      );
      expect(rows[0].evidence.earlierReferralId).toBe(a.referralId);
    });

    it('accepts a different email at the same domain', async () => {
      const referrer = await aReferrer(t);
      const s = await signUp(t, referrer.code, '2026-02-10T08:00:00.000Z', {
        email: `${uniqueId('x').toLowerCase()}x@gmail.com`,
      });
      expect(s.outcome).toBe('accepted');
    });
  });

  describe('MONTHLY_LIMIT', () => {
    it('accepts the 10th referral of a SAST month, rejects the 11th, and counts 22:30 UTC on the last day in the next month', async () => {
      const referrer = await aReferrer(t);
      const outcomes: string[] = [];
      for (let day = 1; day <= 10; day++) {
        const s = await signUp(t, referrer.code, `2026-03-${String(day).padStart(2, '0')}T08:00:00.000Z`);
        outcomes.push(s.outcome);
      }
      expect(outcomes).toEqual(Array(10).fill('accepted'));

      const eleventh = await signUp(t, referrer.code, '2026-03-31T21:59:59.999Z');
      expect(eleventh.outcome).toBe('rejected');
      expect(eleventh.rules).toEqual(['MONTHLY_LIMIT']);
      const { rows } = await t.sql.query(`SELECT evidence FROM fraud_findings WHERE referral_id = $1`, [
        eleventh.referralId,
      ]);
      expect(rows[0].evidence).toMatchObject({ month: '2026-03', nonRejectedBefore: 10, limit: 10 });

      const nextMonth = await signUp(t, referrer.code, '2026-03-31T22:30:00.000Z');
      expect(nextMonth.outcome).toBe('accepted');
      const month = await t.sql.query(`SELECT referred_month FROM fraud_screenings WHERE referral_id = $1`, [
        nextMonth.referralId,
      ]);
      expect(month.rows[0].referred_month).toBe('2026-04');
    });
  });

  describe('BURST', () => {
    it('lets five referrals in 24 hours pass and flags the sixth with a fraud.alert in the outbox', async () => {
      const referrer = await aReferrer(t);
      const start = '2026-04-10T06:00:00.000Z';
      for (let i = 0; i < 5; i++) {
        expect((await signUp(t, referrer.code, hoursAfter(start, i))).outcome).toBe('accepted');
      }
      const sixth = await signUp(t, referrer.code, hoursAfter(start, 24));
      expect(sixth.outcome).toBe('flagged');
      expect(sixth.status).toBe('flagged');
      expect(sixth.rules).toEqual(['BURST']);

      const alerts = await t.sql.query(
        `SELECT payload FROM outbox_events WHERE type = 'fraud.alert' AND payload->>'referralId' = $1`,
        [sixth.referralId],
      );
      expect(alerts.rows).toHaveLength(1);
      expect(alerts.rows[0].payload).toMatchObject({
        referrerId: referrer.customerId,
        rule: 'BURST',
        count: 6,
        windowHours: 24,
      });
    });

    it('does not flag a sixth referral that falls just outside 24 hours of the first', async () => {
      const referrer = await aReferrer(t);
      const start = '2026-04-20T06:00:00.000Z';
      for (let i = 0; i < 5; i++) await signUp(t, referrer.code, hoursAfter(start, i));
      const sixth = await signUp(
        t,
        referrer.code,
        new Date(new Date(start).getTime() + 24 * 3_600_000 + 1).toISOString(),
      );
      expect(sixth.outcome).toBe('accepted');
      const alerts = await t.sql.query(
        `SELECT 1 FROM outbox_events WHERE type = 'fraud.alert' AND payload->>'referrerId' = $1`,
        [referrer.customerId],
      );
      expect(alerts.rows).toHaveLength(0);
    });
  });

  describe('SHARED_IP', () => {
    it('flags, and never rejects, a signup from the referrer’s own signup IP', async () => {
      const referrer = await aReferrer(t, { signupIp: '196.21.7.10' });
      const s = await signUp(t, referrer.code, '2026-05-01T08:00:00.000Z', { signupIp: '196.21.7.10' });
      expect(s.outcome).toBe('flagged');
      expect(s.status).toBe('flagged');
      expect(s.rules).toEqual(['SHARED_IP']);
    });

    it('flags the third referral from one IP within 24 hours, not the second', async () => {
      const ip = '102.65.3.44';
      const first = await signUp(t, (await aReferrer(t)).code, '2026-05-02T08:00:00.000Z', { signupIp: ip });
      const second = await signUp(t, (await aReferrer(t)).code, '2026-05-02T12:00:00.000Z', { signupIp: ip });
      const third = await signUp(t, (await aReferrer(t)).code, '2026-05-03T08:00:00.000Z', { signupIp: ip });
      expect([first.outcome, second.outcome, third.outcome]).toEqual(['accepted', 'accepted', 'flagged']);
      expect(third.rules).toEqual(['SHARED_IP']);
      const { rows } = await t.sql.query(`SELECT evidence FROM fraud_findings WHERE referral_id = $1`, [
        third.referralId,
      ]);
      expect(rows[0].evidence).toMatchObject({ signupIp: ip, count: 3, sameAsReferrer: false });

      // 24 h + 1 ms after the second, only the third and this one are in the window.
      const fourth = await signUp(t, (await aReferrer(t)).code, '2026-05-03T12:00:00.001Z', { signupIp: ip });
      expect(fourth.outcome).toBe('accepted');
    });
  });

  describe('EXISTING_CUSTOMER_MATCH and DISPOSABLE_EMAIL', () => {
    it('flags a referred customer whose phone matches another existing customer', async () => {
      const phone = saMobile();
      await billing(t, customerCreated({ phone: phone.replace(/\s/g, '') }, '2026-01-01T08:00:00.000Z'));
      const s = await signUp(t, (await aReferrer(t)).code, '2026-05-10T08:00:00.000Z', { phone });
      expect(s.outcome).toBe('flagged');
      expect(s.rules).toEqual(['EXISTING_CUSTOMER_MATCH']);
    });

    it('flags a disposable email domain and accepts an ordinary one', async () => {
      const referrer = await aReferrer(t);
      const disposable = await signUp(t, referrer.code, '2026-05-11T08:00:00.000Z', {
        email: `${uniqueId('x').toLowerCase()}@mailinator.com`,
      });
      expect(disposable.outcome).toBe('flagged');
      expect(disposable.rules).toEqual(['DISPOSABLE_EMAIL']);
      const ordinary = await signUp(t, referrer.code, '2026-05-12T08:00:00.000Z', {
        email: `${uniqueId('x').toLowerCase()}@mweb.co.za`,
      });
      expect(ordinary.outcome).toBe('accepted');
    });

    it('stores every finding that applied when several do at once', async () => {
      const referrer = await aReferrer(t, { signupIp: '41.13.200.1' }, { active: false });
      const s = await signUp(t, referrer.code, '2026-05-13T08:00:00.000Z', {
        signupIp: '41.13.200.1',
        email: `${uniqueId('x').toLowerCase()}@mailinator.com`,
      });
      expect(s.outcome).toBe('rejected');
      expect(s.rules).toEqual(['DISPOSABLE_EMAIL', 'REFERRER_INACTIVE', 'SHARED_IP']);
    });
  });
});
