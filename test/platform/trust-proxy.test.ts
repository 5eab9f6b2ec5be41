import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/app.js';
import { customerCreated, uniqueId } from '../support/billing.js';
import { deliver, rows } from '../billing-integration/billing-support.js';

/**
 * SPEC §1: client IPs (rate limits, fraud evidence) come from the socket unless TRUST_PROXY names
 * the proxies to believe. Requests here come from loopback (supertest), so X-Forwarded-For is
 * believed only with TRUST_PROXY=loopback. The fraud rules' signup IP is data the billing system
 * sends (`data.signupIp`), never the webhook request's address or header.
 */
const LIMIT = 3;

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

async function aCode(t: TestApp): Promise<string> {
  const code = `CT-REF-${Array.from(randomBytes(8), (b) => CROCKFORD[b % 32]).join('')}`;
  await t.sql.query('INSERT INTO referral_codes (customer_id, code, first_name) VALUES ($1, $2, $3)', [
    uniqueId('cus'),
    code,
    'Sipho',
  ]);
  return code;
}

/** LIMIT + 2 lookups, each claiming another client IP in X-Forwarded-For; their statuses. */
async function lookupsWithSpoofedIps(t: TestApp, code: string): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 1; i <= LIMIT + 2; i++) {
    const res = await request(t.server).get(`/api/referral-codes/${code}`).set('X-Forwarded-For', `203.0.113.${i}`);
    statuses.push(res.status);
  }
  return statuses;
}

const buckets = async (t: TestApp) =>
  (await rows<{ bucket: string }>(t, 'SELECT bucket FROM rate_limit_buckets ORDER BY bucket')).map((r) => r.bucket);

describe('TRUST_PROXY unset (the default): X-Forwarded-For is not believed', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { CODE_LOOKUP_RATE_LIMIT: String(LIMIT) } });
  });
  afterAll(() => t.close());

  it('a spoofed X-Forwarded-For does not change the rate-limit bucket: the socket address is counted', async () => {
    const statuses = await lookupsWithSpoofedIps(t, await aCode(t));
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const keys = await buckets(t);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^referral-code-lookup:(::ffff:)?127\.0\.0\.1$|^referral-code-lookup:::1$/);
  });

  it("the signup IP the fraud rules use is the event's data.signupIp, never the webhook request's header", async () => {
    const withIp = customerCreated({ signupIp: '196.25.1.10' });
    const withoutIp = customerCreated();
    for (const event of [withIp, withoutIp]) await deliver(t, { ...event, id: uniqueId('evt') });
    const spoofed = await rows<{ id: string; signup_ip: string | null }>(
      t,
      'SELECT id, signup_ip FROM billing_customers WHERE id = ANY($1) ORDER BY signup_ip NULLS LAST',
      [[withIp.data.customerId, withoutIp.data.customerId]],
    );
    expect(spoofed).toEqual([
      { id: withIp.data.customerId, signup_ip: '196.25.1.10' },
      { id: withoutIp.data.customerId, signup_ip: null },
    ]);
  });
});

describe('TRUST_PROXY=loopback: the proxy on loopback is believed', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { CODE_LOOKUP_RATE_LIMIT: String(LIMIT), TRUST_PROXY: 'loopback' } });
  });
  afterAll(() => t.close());

  it('each client named in X-Forwarded-For has its own bucket', async () => {
    const statuses = await lookupsWithSpoofedIps(t, await aCode(t));
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    expect(await buckets(t)).toEqual(
      Array.from({ length: LIMIT + 2 }, (_, i) => `referral-code-lookup:203.0.113.${i + 1}`).sort(),
    );
  });

  it('only the hop the trusted proxy added counts: an address the client put in front of it is ignored', async () => {
    const code = await aCode(t);
    const statuses: number[] = [];
    for (let i = 1; i <= LIMIT + 1; i++) {
      const res = await request(t.server)
        .get(`/api/referral-codes/${code}`)
        .set('X-Forwarded-For', `198.51.100.${i}, 192.0.2.7`);
      statuses.push(res.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});
