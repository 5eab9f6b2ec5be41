import request from 'supertest';
import { startTestApp, type TestApp } from '../support/app.js';
import { adminToken, bearer, customerToken } from '../support/auth.js';
import { customerCreated, sendBillingEvent, uniqueId } from '../support/billing.js';

/** GET /api/admin/customers?q= (SPEC §14): id, referral code, e-mail, phone or name; newest first, keyset-paged. */
describe('Admin customer search', () => {
  let t: TestApp;
  const view = bearer(adminToken(['referrals:view']));
  beforeAll(async () => {
    t = await startTestApp({ now: '2026-06-15T10:00:00.000Z' });
  });
  afterAll(() => t.close());

  const search = (q: string | undefined, extra: Record<string, string | number> = {}, headers = view) =>
    request(t.server)
      .get('/api/admin/customers')
      .query({ ...(q === undefined ? {} : { q }), ...extra })
      .set(headers);

  /** A customer signed up at `createdAt`, with a name unique to this test file run. */
  async function aCustomer(data: Record<string, unknown>, createdAt: string): Promise<string> {
    const event = customerCreated(data, createdAt);
    const res = await sendBillingEvent(t.server, event, { at: t.clock.now() });
    if (res.status !== 200) throw new Error(`customer.created answered ${res.status}: ${res.text}`);
    return event.data.customerId as string;
  }

  async function codeOf(customerId: string): Promise<string> {
    const res = await request(t.server)
      .post('/api/customer/referrals')
      .set(bearer(customerToken(customerId)))
      .send({});
    return res.body.referralCode as string;
  }

  it('when q is a customer id, then exactly that customer comes back with its fields and referral code', async () => {
    const id = await aCustomer(
      { name: 'Zanele Khumalo', email: 'zanele.k@example.com', phone: '082 555 0101' },
      '2026-05-01T08:00:00.000Z',
    );
    const code = await codeOf(id);

    const res = await search(id);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      items: [
        {
          id,
          name: 'Zanele Khumalo',
          email: 'zanele.k@example.com',
          phone: '082 555 0101',
          referralCode: code,
          createdAt: '2026-05-01T08:00:00.000Z',
        },
      ],
      nextCursor: null,
    });
  });

  it('when q is a referral code in lower case with spaces, then its owner is found', async () => {
    const id = await aCustomer({ name: 'Bongani Mthembu' }, '2026-05-02T08:00:00.000Z');
    const code = await codeOf(id);
    const spoken = `${code.slice(0, 10).toLowerCase()} ${code.slice(10).toLowerCase()}`; // "ct-ref-abc defgh"

    const res = await search(spoken);

    expect(res.status).toBe(200);
    expect(res.body.items.map((c: { id: string }) => c.id)).toEqual([id]);
    expect(res.body.items[0].referralCode).toBe(code);
  });

  it('when q is an e-mail written differently (case, +tag, gmail dots), then the customer is found by its normalised form', async () => {
    const local = uniqueId('pule')
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '');
    const id = await aCustomer({ name: 'Pule Mokoena', email: `${local}@gmail.com` }, '2026-05-03T08:00:00.000Z');

    const res = await search(`${local.slice(0, 3)}.${local.slice(3).toUpperCase()}+promo@GoogleMail.com`);

    expect(res.body.items.map((c: { id: string }) => c.id)).toEqual([id]);
  });

  it('when q is a phone number in another format, then the customer is found by E.164', async () => {
    const id = await aCustomer({ name: 'Ayanda Dube', phone: '083 777 1234' }, '2026-05-04T08:00:00.000Z');
    const res = await search('+27 83 777 1234');
    expect(res.body.items.map((c: { id: string }) => c.id)).toContain(id);
    expect(res.body.items.every((c: { phone: string }) => c.phone === '083 777 1234')).toBe(true);
  });

  it('when q is part of a name in another case, then every match comes back newest first', async () => {
    const surname = `Qwabe${uniqueId('x').replace(/[^a-z0-9]/gi, '')}`;
    const older = await aCustomer({ name: `Sipho ${surname}` }, '2026-04-01T08:00:00.000Z');
    const newer = await aCustomer({ name: `Lindiwe ${surname}` }, '2026-04-20T08:00:00.000Z');
    await aCustomer({ name: 'Someone Else' }, '2026-04-25T08:00:00.000Z');

    const res = await search(surname.toLowerCase().slice(2));

    expect(res.status).toBe(200);
    expect(res.body.items.map((c: { id: string }) => c.id)).toEqual([newer, older]);
  });

  it('when the text is a substring with LIKE wildcards, then they match themselves only', async () => {
    const tag = uniqueId('w').replace(/[^a-z0-9]/gi, '');
    const literal = await aCustomer({ name: `Percent 100% ${tag}` }, '2026-04-02T08:00:00.000Z');
    await aCustomer({ name: `Percent 1000 ${tag}` }, '2026-04-03T08:00:00.000Z');
    const res = await search(`100% ${tag}`);
    expect(res.body.items.map((c: { id: string }) => c.id)).toEqual([literal]);
    expect((await search(`_ercent 100% ${tag}`)).body.items).toEqual([]);
  });

  it('when there are more matches than the limit, then pages follow each other newest first by cursor, without gaps or repeats', async () => {
    const family = `Family${uniqueId('f').replace(/[^a-z0-9]/gi, '')}`;
    const first = await aCustomer({ name: `Member ${family}` }, '2026-03-01T08:00:00.000Z');
    // Two share a signup instant: the id breaks the tie (descending).
    const tiedA = await aCustomer({ name: `Member ${family}` }, '2026-03-02T08:00:00.000Z');
    const tiedB = await aCustomer({ name: `Member ${family}` }, '2026-03-02T08:00:00.000Z');
    const fourth = await aCustomer({ name: `Member ${family}` }, '2026-03-05T08:00:00.000Z');
    const newest = await aCustomer({ name: `Member ${family}` }, '2026-03-09T08:00:00.000Z');
    const tied = [tiedA, tiedB].sort().reverse();

    const seen: string[][] = [];
    let cursor: string | undefined;
    do {
      const res = await search(family, { limit: 2, ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      seen.push(res.body.items.map((c: { id: string }) => c.id));
      cursor = res.body.nextCursor ?? undefined;
    } while (cursor);

    expect(seen).toEqual([[newest, fourth], tied, [first]]);
  });

  it('when nothing matches, then the list is empty', async () => {
    const res = await search('no such customer anywhere');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [], nextCursor: null });
  });

  it.each([
    ['no q', undefined, {}],
    ['an empty q', '', {}],
    ['a blank q', '   ', {}],
    ['a q over 100 characters', 'x'.repeat(101), {}],
    ['a limit of 0', 'thandi', { limit: 0 }],
    ['a limit of 101', 'thandi', { limit: 101 }],
    ['a forged cursor', 'thandi', { cursor: 'bm90LWEtY3Vyc29y' }],
  ])('when the search has %s, then 400 problem+json', async (_label, q, extra) => {
    const res = await search(q, extra as Record<string, string | number>);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(['VALIDATION_FAILED', 'INVALID_CURSOR']).toContain(res.body.code);
  });

  it('when q is percent-encoded bytes that are not UTF-8, then 400 naming q', async () => {
    const res = await request(t.server).get('/api/admin/customers?q=%ED%A0%80').set(view);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'q' })]);
  });

  it('when the caller lacks referrals:view or is a customer, then 403', async () => {
    expect((await search('thandi', {}, bearer(adminToken(['referrals:manage'])))).status).toBe(403);
    expect((await search('thandi', {}, bearer(customerToken('cus_1')))).status).toBe(403);
    expect((await request(t.server).get('/api/admin/customers').query({ q: 'x' })).status).toBe(401);
  });
});

describe('Admin customer search: indexes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('serves each criterion from an index: id, normalised e-mail and phone, and the name by trigrams', async () => {
    const client = await t.sql.connect();
    try {
      await client.query('SET enable_seqscan = off');
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN SELECT c.id FROM billing_customers c
          WHERE (c.id = 'cus_1' OR c.name ILIKE '%thandi%' OR c.id = 'cus_2'
                 OR c.email_normalized = 'thandi@example.com' OR c.phone_normalized = '+27821234567')
          ORDER BY c.created_at DESC, c.id DESC LIMIT 21`,
      );
      const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(plan).toContain('billing_customers_name_trgm_idx');
      expect(plan).toContain('billing_customers_pkey');
      expect(plan).toContain('billing_customers_email_norm_idx');
      expect(plan).toContain('billing_customers_phone_norm_idx');
      expect(plan).not.toContain('Seq Scan');
    } finally {
      await client.query('RESET enable_seqscan');
      client.release();
    }
  });
});
