import request from 'supertest';
import { startTestApp, type TestApp } from '../support/app.js';
import { adminToken, bearer, customerToken } from '../support/auth.js';
import { customerCreated, sendBillingEvent, serviceActivated, type BillingEvent } from '../support/billing.js';
import { RUNS, sast } from '../reconciliation/scenario.js';

/**
 * SPEC §16, erasure (POPIA s24), end to end over HTTP against real PostgreSQL.
 *
 * Naledi (the customer to erase) was referred by Sipho, and referred two friends herself; one
 * friend signed up from Naledi's own IP (SHARED_IP flag, so fraud evidence holds her IP), an
 * admin approved it, granted Naledi a goodwill month naming her, and the nightly runs earned her a
 * reward and issued a credit note. Her phone changed once. Then she is erased — and every text
 * and JSON column of every table in the database is searched for her name, e-mail and phone.
 */
let t: TestApp;
const NALEDI = 'cus_erase_n1';
const SIPHO = 'cus_erase_sipho';
const FRIENDS = ['cus_erase_friend_1', 'cus_erase_friend_2'];
const ERASE = `/api/admin/customers/${NALEDI}/erase`;

const personal = {
  name: 'Naledi Dlamini',
  email: 'Naledi.Dlamini@Example.org',
  phone: '082 765 4321',
  newPhone: '083 555 0172',
  address: '17 Jacaranda Avenue, Pretoria',
  signupIp: '196.25.7.77',
  userAgent: 'NalediPhone/1.0 (erasure test)',
};
/**
 * What must be found nowhere after the erasure, in every form the service may have written it.
 * (Her signup IP is not searched everywhere: a friend signed up from the same address, and that
 * is the friend's data; where it was recorded as hers, it is checked below.)
 */
const SEARCHED = [
  personal.name,
  'Naledi',
  personal.email,
  'naledi.dlamini@example.org',
  personal.phone,
  '0827654321',
  '+27827654321',
  personal.newPhone,
  '+27835550172',
  personal.address,
  personal.userAgent,
];

const manager = bearer(adminToken(['referrals:view', 'referrals:manage', 'reconciliation:run'], 'admin-privacy'));
const viewer = bearer(adminToken(['referrals:view'], 'admin-viewer'));

async function billing(event: BillingEvent): Promise<request.Response> {
  t.clock.set(new Date(new Date(event.occurredAt).getTime() + 60_000));
  const res = await sendBillingEvent(t.server, event, { at: t.clock.now() });
  expect(res.status).toBe(200);
  return res;
}

async function run(asOf: string): Promise<void> {
  t.clock.set(new Date(sast(asOf, '02:00')));
  const res = await request(t.server).post(RUNS).set(manager).send({ asOf }).expect(201);
  expect(res.body.status).toBe('succeeded');
}

/** Every text, varchar and JSON column of every table: the places where personal data could hide. */
async function findPersonalData(values: string[]): Promise<string[]> {
  const { rows: columns } = await t.sql.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = 'public'
        AND data_type IN ('text', 'character varying', 'character', 'json', 'jsonb')
      ORDER BY table_name, column_name`,
  );
  expect(columns.length).toBeGreaterThan(40); // the scan really covers the schema
  const found: string[] = [];
  for (const { table_name, column_name } of columns) {
    const { rows } = await t.sql.query<{ value: string }>(
      `SELECT "${column_name}"::text AS value FROM "${table_name}"
        WHERE "${column_name}"::text ILIKE ANY (SELECT '%' || v || '%' FROM unnest($1::text[]) AS v)`,
      [values],
    );
    for (const r of rows) found.push(`${table_name}.${column_name}: ${r.value.slice(0, 200)}`);
  }
  return found;
}

/** Ids, states, dates and money that must add up exactly as before the erasure. */
async function books() {
  const q = async (text: string) => (await t.sql.query(text)).rows;
  return {
    referrals: await q(
      `SELECT id, referrer_id, referred_id, code, status, lifecycle, review, referred_at, activated_at, qualified_at,
              rewarded_at, reward_id FROM referrals ORDER BY id`,
    ),
    rewards: await q(
      `SELECT id, customer_id, status, earned_at, expires_at, manually_granted, applied_at, credit_note_id
         FROM rewards ORDER BY id`,
    ),
    creditNotes: await q(
      `SELECT id, number, customer_id, service_id, reward_id, period_start, period_end, amount_incl_vat_cents,
              vat_amount_cents, amount_excl_vat_cents, issued_at FROM credit_notes ORDER BY id`,
    ),
    creditTotal: await q(`SELECT sum(amount_incl_vat_cents)::text AS total, count(*)::int AS n FROM credit_notes`),
    qualified: await q(
      `SELECT referral_id, referrer_id, reward_id FROM reward_qualified_referrals ORDER BY referral_id`,
    ),
    screenings: await q(`SELECT referral_id, outcome, review_decision FROM fraud_screenings ORDER BY referral_id`),
    findings: await q(`SELECT id, referral_id, rule, outcome FROM fraud_findings ORDER BY id`),
    audit: await q(
      `SELECT id, at, actor, action, customer_id, subject_id FROM audit_log WHERE action <> 'customer.erased' ORDER BY id`,
    ),
    inbound: await q(`SELECT id, type, occurred_at FROM billing_inbound_events ORDER BY id`),
    outbox: await q(`SELECT id, type, occurred_at, delivered_at FROM outbox_events ORDER BY id`),
  };
}

let nalediCode: string;
let nalediCreated: BillingEvent;
let before: Awaited<ReturnType<typeof books>>;
let erasedAt: string;

beforeAll(async () => {
  t = await startTestApp({ now: sast('2025-12-01', '08:00') });

  // Sipho, Naledi's referrer.
  await billing(
    customerCreated({ customerId: SIPHO, name: 'Sipho Zulu', email: 'sipho@example.net' }, sast('2025-12-01', '09:00')),
  );
  await billing(serviceActivated(SIPHO, { serviceId: 'svc_erase_sipho' }, sast('2025-12-01', '10:00')));
  const siphoCode = (
    await request(t.server)
      .post('/api/customer/referrals')
      .set(bearer(customerToken(SIPHO)))
      .send({})
      .expect(201)
  ).body.referralCode as string;

  // Naledi signs up with Sipho's code, with every piece of personal data billing sends.
  nalediCreated = customerCreated(
    {
      customerId: NALEDI,
      name: personal.name,
      email: personal.email,
      phone: personal.phone,
      installationAddress: personal.address,
      signupIp: personal.signupIp,
      userAgent: personal.userAgent,
      referralCode: siphoCode,
      referralSource: 'url_param',
    },
    sast('2025-12-05', '09:00'),
  );
  nalediCreated.id = 'evt_n1_created';
  await billing(nalediCreated);
  await billing(
    serviceActivated(
      NALEDI,
      { serviceId: 'svc_erase_n1', monthlyPrice: '799.00', billingDay: 1 },
      sast('2025-12-06', '10:00'),
    ),
  );
  nalediCode = (
    await request(t.server)
      .post('/api/customer/referrals')
      .set(bearer(customerToken(NALEDI)))
      .send({})
      .expect(201)
  ).body.referralCode as string;

  // Her phone changes: the old number stays in the stored event.
  await billing({
    type: 'customer.updated',
    occurredAt: sast('2025-12-20', '09:00'),
    data: { customerId: NALEDI, phone: personal.newPhone },
  });

  // Two friends with her code; the first from her own IP (SHARED_IP: her IP is in the evidence).
  for (const [i, id] of FRIENDS.entries()) {
    await billing(
      customerCreated(
        {
          customerId: id,
          name: `Friend Number${i + 1}`,
          email: `friend${i + 1}@example.net`,
          referralCode: nalediCode,
          signupIp: i === 0 ? personal.signupIp : `10.9.8.${i}`,
        },
        sast('2026-01-10', `1${i}:00`),
      ),
    );
  }
  const flagged = await t.sql.query<{ id: string; status: string }>(
    `SELECT id, status FROM referrals WHERE referred_id = $1`,
    [FRIENDS[0]],
  );
  expect(flagged.rows[0]!.status).toBe('flagged');
  const evidence = await t.sql.query(`SELECT 1 FROM fraud_findings WHERE evidence::text LIKE $1`, [
    `%${personal.signupIp}%`,
  ]);
  expect(evidence.rowCount).toBeGreaterThan(0);

  // An admin approves the friend, naming Naledi in the reason, and grants her a goodwill month.
  t.clock.set(new Date(sast('2026-01-11', '09:00')));
  await request(t.server)
    .post(`/api/admin/referrals/${flagged.rows[0]!.id}/review`)
    .set(manager)
    .send({ decision: 'approve', reason: `Checked: ${personal.name} says the friend is her neighbour` })
    .expect(200);
  await request(t.server)
    .post(`/api/admin/customers/${NALEDI}/referrals/grant`)
    .set(manager)
    .set('Idempotency-Key', 'grant-n1')
    .send({ reason: `Goodwill for ${personal.name} (${personal.email})` })
    .expect(201);

  for (const [i, id] of FRIENDS.entries()) {
    await billing(
      serviceActivated(id, { serviceId: `svc_erase_friend_${i + 1}`, billingDay: 15 }, sast('2026-01-12', `1${i}:00`)),
    );
  }
  // A+30: both qualify and Naledi earns a reward; 1 February: the goodwill month is applied
  // (a credit note); 1 March: the earned one too.
  await run('2026-02-11');
  await run('2026-03-01');

  before = await books();
  expect(before.creditNotes.filter((n) => n.customer_id === NALEDI).length).toBeGreaterThanOrEqual(1);
  expect(before.rewards.filter((r) => r.customer_id === NALEDI)).toHaveLength(2);
  expect(before.referrals.filter((r) => r.referrer_id === NALEDI)).toHaveLength(2);
  expect(before.outbox.length).toBeGreaterThan(0);
  // Before the erasure the scan finds her everywhere (the test can fail).
  const found = await findPersonalData(SEARCHED);
  for (const place of [
    'billing_customers.name',
    'billing_inbound_events.payload',
    'referrals.referred_name',
    'referral_codes.first_name',
    'fraud_screenings.email_normalized',
    'fraud_screenings.review_reason',
    'audit_log.reason',
    'rewards.grant_reason',
    'outbox_events.payload',
  ]) {
    expect(found.some((f) => f.startsWith(`${place}:`))).toBe(true);
  }
});
afterAll(() => t.close());

describe('erasing a customer (SPEC §16, POPIA)', () => {
  it('answers 200 with when, audited with the admin and the reason (without her name)', async () => {
    t.clock.set(new Date('2026-03-02T10:00:00.000Z'));
    const res = await request(t.server)
      .post(ERASE)
      .set(manager)
      .send({ reason: `POPIA s24 request from ${personal.name}, ticket 4411` })
      .expect(200);
    expect(res.body).toEqual({ customerId: NALEDI, erased: true, erasedAt: '2026-03-02T10:00:00.000Z' });
    erasedAt = res.body.erasedAt;

    const audit = await request(t.server).get(`/api/admin/customers/${NALEDI}/audit-log`).set(manager).expect(200);
    const entry = audit.body.items.find((e: { action: string }) => e.action === 'customer.erased');
    expect(entry).toMatchObject({
      actor: 'admin-privacy',
      subjectId: NALEDI,
      reason: 'POPIA s24 request from [erased], ticket 4411',
      after: { erasedAt },
    });
  });

  it('leaves her name, e-mail, phone (old and new), address, IP and user agent in no text or JSON column of any table', async () => {
    expect(await findPersonalData(SEARCHED)).toEqual([]);
  });

  it('keeps her signup IP nowhere it was recorded as hers: the mirror, and the fraud evidence of her referrals', async () => {
    const mirror = await t.sql.query(`SELECT signup_ip, user_agent FROM billing_customers WHERE id = $1`, [NALEDI]);
    expect(mirror.rows[0]).toEqual({ signup_ip: null, user_agent: null });
    const evidence = await t.sql.query(
      `SELECT f.detail, f.evidence::text AS evidence, s.rule_evaluations::text AS evaluations
         FROM fraud_findings f JOIN fraud_screenings s USING (referral_id) WHERE f.referrer_id = $1 AND f.rule = 'SHARED_IP'`,
      [NALEDI],
    );
    expect(evidence.rows).toHaveLength(1);
    expect(evidence.rows[0].detail).toBe("signup IP [erased] equals the referrer's signup IP");
    for (const text of Object.values(evidence.rows[0])) expect(text).not.toContain(personal.signupIp);
    const ownScreening = await t.sql.query(
      `SELECT email_normalized, signup_ip FROM fraud_screenings WHERE referred_id = $1`,
      [NALEDI],
    );
    expect(ownScreening.rows[0]).toEqual({ email_normalized: '', signup_ip: null });
  });

  it('keeps ids, states, dates and money: referrals, rewards, credit notes and their totals are as before', async () => {
    const after = await books();
    expect(after).toEqual(before);
  });

  it('her referrals still count for her, and she still counts for Sipho, without her details', async () => {
    const sipho = await request(t.server)
      .get('/api/customer/referrals')
      .set(bearer(customerToken(SIPHO)))
      .expect(200);
    expect(sipho.body.items).toHaveLength(1);
    expect(sipho.body.items[0]).toMatchObject({ status: expect.any(String), referredName: '' });
    expect(JSON.stringify(sipho.body)).not.toMatch(/naledi/i);

    const balance = await request(t.server)
      .get('/api/customer/referral-balance')
      .set(bearer(customerToken(NALEDI)))
      .expect(200);
    expect(balance.body.appliedRewards.length + balance.body.pendingRewards.length).toBe(2);

    const view = await request(t.server).get(`/api/admin/customers/${NALEDI}/referrals`).set(manager).expect(200);
    expect(view.body.referrals).toHaveLength(2);
    expect(JSON.stringify(view.body)).not.toMatch(/Naledi Dlamini|Naledi\.Dlamini|196\.25\.7\.77|jacaranda/i);

    const notes = await request(t.server).get(`/api/admin/customers/${NALEDI}/credit-notes`).set(manager).expect(200);
    expect(notes.body.items.length).toBe(before.creditNotes.filter((n) => n.customer_id === NALEDI).length);
  });

  it('her code no longer resolves: the public check is 404 like an unknown code, and a signup with it is not attributed', async () => {
    const check = await request(t.server).get(`/api/referral-codes/${nalediCode}`).expect(404);
    expect(check.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(check.body.code).toBe('REFERRAL_CODE_NOT_FOUND');

    await billing(
      customerCreated({ customerId: 'cus_erase_late_friend', referralCode: nalediCode }, sast('2026-03-03', '09:00')),
    );
    const referral = await t.sql.query(`SELECT 1 FROM referrals WHERE referred_id = 'cus_erase_late_friend'`);
    expect(referral.rowCount).toBe(0);
  });

  it('a replay of her old events brings nothing back: the same ids, new ids, an update dated before the erasure', async () => {
    const same = await billing(nalediCreated);
    expect(same.body).toEqual({ received: true, duplicate: true });
    await billing({ ...nalediCreated, id: 'evt_replayed_n1_created', occurredAt: nalediCreated.occurredAt });
    await billing({
      id: 'evt_replayed_n1_updated',
      type: 'customer.updated',
      occurredAt: sast('2026-02-01', '09:00'),
      data: {
        customerId: NALEDI,
        name: personal.name,
        email: personal.email,
        phone: personal.phone,
        installationAddress: personal.address,
      },
    });
    const mirror = await t.sql.query(
      `SELECT name, email, phone, address, signup_ip, user_agent FROM billing_customers WHERE id = $1`,
      [NALEDI],
    );
    expect(mirror.rows[0]).toEqual({
      name: '',
      email: '',
      phone: null,
      address: null,
      signup_ip: null,
      user_agent: null,
    });
    // The replays' ids are recorded (a second delivery is a duplicate), their stale data is not.
    expect(await findPersonalData(SEARCHED)).toEqual([]);
    const replays = await t.sql.query(
      `SELECT id, payload FROM billing_inbound_events WHERE id IN ('evt_replayed_n1_created', 'evt_replayed_n1_updated') ORDER BY id`,
    );
    expect(replays.rows).toEqual([
      { id: 'evt_replayed_n1_created', payload: null },
      { id: 'evt_replayed_n1_updated', payload: null },
    ]);
  });

  it('an update that happened after the erasure sets what it carries anew', async () => {
    await billing({
      type: 'customer.updated',
      occurredAt: new Date(new Date(erasedAt).getTime() + 3_600_000).toISOString(),
      data: { customerId: NALEDI, email: 'n.d.new@example.org' },
    });
    const mirror = await t.sql.query(`SELECT name, email FROM billing_customers WHERE id = $1`, [NALEDI]);
    expect(mirror.rows[0]).toEqual({ name: '', email: 'n.d.new@example.org' });
  });
});

describe('the erase endpoint', () => {
  it('is idempotent: a second erasure answers the first outcome and adds no audit entry', async () => {
    const res = await request(t.server).post(ERASE).set(manager).send({ reason: 'Asked again by e-mail' }).expect(200);
    expect(res.body).toEqual({ customerId: NALEDI, erased: true, erasedAt });
    const { rows } = await t.sql.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'customer.erased' AND customer_id = $1`,
      [NALEDI],
    );
    expect(rows[0].n).toBe(1);
  });

  it('honours Idempotency-Key like every admin write: the same key and body replay the first response', async () => {
    const id = 'cus_erase_keyed';
    await billing(customerCreated({ customerId: id, name: 'Keyed Person' }, sast('2026-03-04', '09:00')));
    const first = await request(t.server)
      .post(`/api/admin/customers/${id}/erase`)
      .set(manager)
      .set('Idempotency-Key', 'erase-keyed')
      .send({ reason: 'POPIA request' })
      .expect(200);
    const again = await request(t.server)
      .post(`/api/admin/customers/${id}/erase`)
      .set(manager)
      .set('Idempotency-Key', 'erase-keyed')
      .send({ reason: 'POPIA request' })
      .expect(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    const other = await request(t.server)
      .post(`/api/admin/customers/${id}/erase`)
      .set(manager)
      .set('Idempotency-Key', 'erase-keyed')
      .send({ reason: 'Another reason' })
      .expect(422);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('is 404 CUSTOMER_NOT_FOUND for a customer billing never told us about, and changes nothing', async () => {
    const audit = await t.sql.query(`SELECT count(*)::int AS n FROM audit_log`);
    const res = await request(t.server)
      .post('/api/admin/customers/cus_never_seen/erase')
      .set(manager)
      .send({ reason: 'POPIA request' })
      .expect(404);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.code).toBe('CUSTOMER_NOT_FOUND');
    expect((await t.sql.query(`SELECT count(*)::int AS n FROM audit_log`)).rows[0].n).toBe(audit.rows[0].n);
  });

  it('is 403 without referrals:manage, 401 without a token, and changes nothing', async () => {
    const id = 'cus_erase_refused';
    await billing(
      customerCreated(
        { customerId: id, name: 'Refused Person', email: 'refused@example.org' },
        sast('2026-03-04', '10:00'),
      ),
    );
    const forbidden = await request(t.server)
      .post(`/api/admin/customers/${id}/erase`)
      .set(viewer)
      .send({ reason: 'POPIA request' })
      .expect(403);
    expect(forbidden.body.code).toBeDefined();
    await request(t.server)
      .post(`/api/admin/customers/${id}/erase`)
      .set(bearer(customerToken(id)))
      .send({ reason: 'POPIA request' })
      .expect(403);
    await request(t.server).post(`/api/admin/customers/${id}/erase`).send({ reason: 'POPIA request' }).expect(401);
    const { rows } = await t.sql.query(`SELECT name, erased_at FROM billing_customers WHERE id = $1`, [id]);
    expect(rows[0]).toEqual({ name: 'Refused Person', erased_at: null });
  });

  it.each([
    ['no reason', {}],
    ['a reason under 3 characters', { reason: 'no' }],
    ['a reason over 500 characters', { reason: 'x'.repeat(501) }],
    ['a reason that is not text', { reason: 42 }],
    ['an unknown field', { reason: 'POPIA request', force: true }],
  ])('is 400 VALIDATION_FAILED for %s, and changes nothing', async (_what, body) => {
    const id = 'cus_erase_refused';
    const res = await request(t.server).post(`/api/admin/customers/${id}/erase`).set(manager).send(body).expect(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    const { rows } = await t.sql.query(`SELECT erased_at FROM billing_customers WHERE id = $1`, [id]);
    expect(rows[0].erased_at).toBeNull();
  });

  it('is 400 for a malformed customer id', async () => {
    const res = await request(t.server)
      .post('/api/admin/customers/not%20an%20id/erase')
      .set(manager)
      .send({ reason: 'POPIA request' })
      .expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });
});
