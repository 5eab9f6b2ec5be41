import request from 'supertest';
import { startTestApp, type TestApp } from '../support/app.js';
import { uniqueId } from '../support/billing.js';

let t: TestApp;
beforeAll(async () => {
  // As deployed behind a proxy on loopback: each test names its client IP in X-Forwarded-For.
  t = await startTestApp({ now: '2026-06-15T10:00:10.000Z', env: { TRUST_PROXY: 'loopback' } });
});
afterAll(async () => t?.close());

async function aCode(code: string, firstName = 'Sipho'): Promise<void> {
  await t.sql.query('INSERT INTO referral_codes (customer_id, code, first_name) VALUES ($1, $2, $3)', [
    uniqueId('cus'),
    code,
    firstName,
  ]);
}
const check = (code: string, ip = '203.0.113.10') =>
  request(t.server)
    .get(`/api/referral-codes/${encodeURIComponent(code)}`)
    .set('X-Forwarded-For', ip);

describe('GET /api/referral-codes/{code}', () => {
  it("a known code is valid and shows the referrer's first name", async () => {
    await aCode('CT-REF-7K3M9QXZ', 'Sipho');
    const res = await check('CT-REF-7K3M9QXZ', '203.0.113.1');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ valid: true, referrerFirstName: 'Sipho' });
  });

  it('a lower-case code with spaces around it is the same code', async () => {
    await aCode('CT-REF-ABCD2345', 'Lerato');
    const res = await check('  ct-ref-abcd2345 ', '203.0.113.2');
    expect(res.status).toBe(200);
    expect(res.body.referrerFirstName).toBe('Lerato');
  });

  it.each([['CT-REF-ZZZZZZZZ'], ['CT-REF-IIIIIIII'], ['hello'], ['x'.repeat(300)]])(
    '%s is 404 REFERRAL_CODE_NOT_FOUND as problem+json',
    async (code) => {
      const res = await check(code, '203.0.113.3');
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 404, code: 'REFERRAL_CODE_NOT_FOUND' });
    },
  );

  it('the 31st request in a minute from one IP is 429 RATE_LIMITED with Retry-After, and a minute later it works again', async () => {
    await aCode('CT-REF-RATE2345');
    const ip = '198.51.100.77';
    for (let i = 1; i <= 30; i++) {
      const ok = await check('CT-REF-RATE2345', ip);
      expect(ok.status).toBe(200);
    }
    const limited = await check('CT-REF-RATE2345', ip);
    expect(limited.status).toBe(429);
    expect(limited.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(limited.body).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect(Number(limited.headers['retry-after'])).toBe(50);
    // another IP is not affected
    expect((await check('CT-REF-RATE2345', '198.51.100.78')).status).toBe(200);
    t.clock.advance(60_000);
    expect((await check('CT-REF-RATE2345', ip)).status).toBe(200);
  });
});
