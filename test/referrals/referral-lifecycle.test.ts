import { runStep } from '../support/nightly.js';
import { CommandBus } from '@nestjs/cqrs';
import { ExpireStaleReferrals, QualifyOrCancelActiveReferrals } from '#libs/contracts/index.js';
import { AttributeReferral } from '../../src/modules/referrals/application/commands/attribute-referral/attribute-referral.command.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { sendBillingEvent, serviceActivated, uniqueId } from '../support/billing.js';
import { referralOf } from './referral-fixtures.js';
import { aReferrer, aSignupWith, billing, type Referrer } from '../support/builders.js';

let t: TestApp;
let referrer: Referrer;
beforeAll(async () => {
  t = await startTestApp();
  t.clock.set(new Date()); // webhooks are signed at the app's clock
  referrer = await aReferrer(t, { name: 'Sipho Dlamini' }, { createdAt: '2025-11-01T08:00:00.000Z' });
});
afterAll(async () => t?.close());

const bus = () => t.get<CommandBus>(CommandBus);

describe('referral attribution and lifecycle, driven by signed billing webhooks', () => {
  it("a signup with a code typed in lower case with spaces is attributed to the code's owner, referredAt = occurredAt", async () => {
    const referred = await aSignupWith(t, `  ${referrer.code.toLowerCase()} `, '2026-01-10T08:00:00.000Z');
    const r = await referralOf(t, referred);
    expect(r).toMatchObject({
      referrer_id: referrer.customerId,
      status: 'pending',
      lifecycle: 'pending',
      code: referrer.code,
      source: 'url_param',
    });
    expect((r!.referred_at as Date).toISOString()).toBe('2026-01-10T08:00:00.000Z');
    const { rows } = await t.sql.query(
      `SELECT payload FROM outbox_events WHERE type = 'referral.attributed' AND payload->>'referredId' = $1`,
      [referred],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].payload).toMatchObject({
      referralId: r!.id,
      referrerId: referrer.customerId,
      status: 'pending',
      referredAt: '2026-01-10T08:00:00.000Z',
    });
  });

  it('an unknown code records nothing and the event is still accepted', async () => {
    const id = uniqueId('cus');
    const res = await sendBillingEvent(
      t.server,
      {
        type: 'customer.created',
        occurredAt: '2026-01-10T08:00:00.000Z',
        data: { customerId: id, name: 'A B', email: `${id}@example.com`, referralCode: 'CT-REF-ZZZZZZZZ' },
      },
      { at: t.clock.now() },
    );
    expect(res.status).toBe(200);
    expect(await referralOf(t, id)).toBeUndefined();
  });

  it('a customer is referred at most once: a second attribution is ignored', async () => {
    const other = await aReferrer(t, { name: 'Lerato Mokoena' }, { createdAt: '2025-11-01T08:00:00.000Z' });
    const referred = await aSignupWith(t, referrer.code, '2026-01-10T08:00:00.000Z');
    const second = await bus().execute(
      new AttributeReferral({
        referredId: referred,
        referredName: 'Thandi Nkosi',
        referredEmail: 'x@example.com',
        emailNormalized: 'x@example.com',
        code: other.code,
        referredAt: new Date('2026-01-11T08:00:00.000Z'),
      }),
    );
    expect(second).toBeNull();
    const { rows } = await t.sql.query('SELECT referrer_id FROM referrals WHERE referred_id = $1', [referred]);
    expect(rows).toEqual([{ referrer_id: referrer.customerId }]);
  });

  it('a first service activated on R+30 activates the referral', async () => {
    const referred = await aSignupWith(t, referrer.code, '2026-01-10T08:00:00.000Z');
    await billing(t, serviceActivated(referred, {}, '2026-02-09T21:59:59.000Z'));
    const r = await referralOf(t, referred);
    expect(r).toMatchObject({ status: 'active' });
    expect((r!.activated_at as Date).toISOString()).toBe('2026-02-09T21:59:59.000Z');
  });

  it('a first service activated on R+31 expires the referral, and a later service changes nothing', async () => {
    const referred = await aSignupWith(t, referrer.code, '2026-01-10T08:00:00.000Z');
    await billing(t, serviceActivated(referred, {}, '2026-02-09T22:00:00.000Z'));
    expect(await referralOf(t, referred)).toMatchObject({ status: 'expired', activated_at: null });
    await billing(t, serviceActivated(referred, {}, '2026-02-12T08:00:00.000Z'));
    expect(await referralOf(t, referred)).toMatchObject({ status: 'expired', activated_at: null });
  });

  it('a pending referral expires at the run with asOf R+31 and not R+30', async () => {
    const referred = await aSignupWith(t, referrer.code, '2026-03-10T08:00:00.000Z');
    await runStep(t, ExpireStaleReferrals, '2026-04-09');
    expect(await referralOf(t, referred)).toMatchObject({ status: 'pending' });
    await runStep(t, ExpireStaleReferrals, '2026-04-10');
    const r = await referralOf(t, referred);
    expect(r).toMatchObject({ status: 'expired' });
    expect((r!.expired_at as Date).toISOString()).toBe('2026-04-09T22:00:00.000Z');
  });

  it('an active referral qualifies at the run with asOf A+30 (qualifiedAt the start of A+30 SAST), not at A+29', async () => {
    const referred = await aSignupWith(t, referrer.code, '2026-03-01T08:00:00.000Z');
    await billing(t, serviceActivated(referred, {}, '2026-03-05T08:00:00.000Z'));
    await runStep(t, QualifyOrCancelActiveReferrals, '2026-04-03');
    expect(await referralOf(t, referred)).toMatchObject({ status: 'active' });
    await runStep(t, QualifyOrCancelActiveReferrals, '2026-04-04');
    const r = await referralOf(t, referred);
    expect(r).toMatchObject({ status: 'qualified' });
    expect((r!.qualified_at as Date).toISOString()).toBe('2026-04-03T22:00:00.000Z');
  });

  it('a service suspended before A+30 cancels the referral instead of qualifying it', async () => {
    const referred = await aSignupWith(t, referrer.code, '2026-03-01T08:00:00.000Z');
    const serviceId = uniqueId('svc');
    await billing(t, serviceActivated(referred, { serviceId }, '2026-03-05T08:00:00.000Z'));
    await billing(t, { type: 'service.suspended', occurredAt: '2026-03-20T08:00:00.000Z', data: { serviceId } });
    await runStep(t, QualifyOrCancelActiveReferrals, '2026-04-04');
    const r = await referralOf(t, referred);
    expect(r).toMatchObject({ status: 'cancelled', lifecycle: 'cancelled' });
    expect((r!.cancelled_at as Date).toISOString()).toBe('2026-03-20T08:00:00.000Z');
  });

  it("a change of the referred customer's name and email updates what the referrer sees", async () => {
    const referred = await aSignupWith(t, referrer.code, '2026-01-10T08:00:00.000Z');
    await billing(t, {
      type: 'customer.updated',
      occurredAt: '2026-01-15T08:00:00.000Z',
      data: { customerId: referred, name: 'Thandi Khumalo', email: 'thandi.k@example.com' },
    });
    expect(await referralOf(t, referred)).toMatchObject({
      referred_name: 'Thandi Khumalo',
      referred_email: 'thandi.k@example.com',
    });
  });
});
