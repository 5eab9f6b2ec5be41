import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { ApplyDueRewards, EarnRewards } from '#libs/contracts/index.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { adminToken, bearer } from '../support/auth.js';
import { runStep } from '../support/nightly.js';
import { qualifiedReferrals } from '../rewards/rewards-support.js';
import { aCustomerWithService } from '../support/builders.js';

const HEADER =
  'number,issuedAt,customerId,serviceId,rewardId,runId,periodStart,periodEnd,amountInclVat,vatAmount,amountExclVat,vatRate';

/** GET /api/admin/credit-notes?from=&to= (SPEC §14): the register by number, with totals; CSV streamed. */
describe('Admin credit-note register', () => {
  let t: TestApp;
  const view = bearer(adminToken(['referrals:view']));
  beforeAll(async () => {
    t = await startTestApp({ now: '2026-06-15T10:00:00.000Z' });
  });
  afterAll(() => t.close());

  const register = (query: Record<string, string | number>, headers: Record<string, string> = view) =>
    request(t.server).get('/api/admin/credit-notes').query(query).set(headers);

  /**
   * Credit notes straight into the table (each test its own SAST year, so periods do not overlap):
   * `issuedAt` instants, sequence in the order given, amounts in cents (VAT 15/115 of each).
   */
  async function notes(year: number, issued: { at: string; cents: bigint | number }[]): Promise<void> {
    for (const [i, n] of issued.entries()) {
      const incl = BigInt(n.cents);
      const vat = (incl * 15n * 2n + 115n) / (115n * 2n);
      const seq = i + 1;
      await t.sql.query(
        `INSERT INTO credit_notes (id, number, year, sequence, customer_id, service_id, reward_id, period_start, period_end,
                                   amount_incl_vat_cents, vat_amount_cents, amount_excl_vat_cents, vat_rate_basis_points, issued_at)
         VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, gen_random_uuid(), $6::date + $3::int, $6::date + $3::int + 30, $7, $8, $9, 1500, $10)`,
        [
          `CN-${year}-${String(seq).padStart(5, '0')}`,
          year,
          seq,
          `cus_${year}_${seq}`,
          `svc_${year}_${seq}`,
          `${year}-01-01`,
          incl.toString(),
          vat.toString(),
          (incl - vat).toString(),
          n.at,
        ],
      );
    }
  }

  it('when notes were issued around the period, then those issued on its SAST dates come back by number, with the run that issued them and totals of the whole period', async () => {
    // A real one, issued by a run on 1 March 2026 (the clock says 15 June: issuedAt is the wall clock).
    const { customerId } = await aCustomerWithService(t);
    await qualifiedReferrals(t, customerId, ['2026-02-01T08:00:00.000Z', '2026-02-02T08:00:00.000Z']);
    await runStep(t, EarnRewards, '2026-02-10');
    await runStep(t, ApplyDueRewards, '2026-03-01', { runId: '00000000-0000-4000-8000-00000000a001' });

    const res = await register({ from: '2026-06-15', to: '2026-06-15' });

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      items: [
        {
          id: expect.any(String),
          number: expect.stringMatching(/^CN-2026-\d{5}$/),
          customerId,
          serviceId: expect.any(String),
          rewardId: expect.any(String),
          runId: '00000000-0000-4000-8000-00000000a001',
          periodStart: '2026-03-01',
          periodEnd: '2026-03-31',
          amountInclVat: '799.00',
          vatAmount: '104.22',
          amountExclVat: '694.78',
          vatRate: '15.00',
          issuedAt: '2026-06-15T10:00:00.000Z',
        },
      ],
      nextCursor: null,
      totals: { count: 1, inclVat: '799.00', vat: '104.22', exclVat: '694.78' },
    });
  });

  it('when the period starts and ends at SAST midnight, then a note issued at 23:59 SAST on the day before is out and one at 00:00 SAST is in', async () => {
    await notes(2031, [
      { at: '2031-02-28T21:59:59.999Z', cents: 10000 }, // 28 Feb 23:59:59.999 SAST: before the period
      { at: '2031-02-28T22:00:00.000Z', cents: 20000 }, // 1 Mar 00:00 SAST
      { at: '2031-03-31T21:59:59.999Z', cents: 30000 }, // 31 Mar 23:59:59.999 SAST
      { at: '2031-03-31T22:00:00.000Z', cents: 40000 }, // 1 Apr 00:00 SAST: after
    ]);
    const res = await register({ from: '2031-03-01', to: '2031-03-31' });
    expect(res.body.items.map((n: { number: string }) => n.number)).toEqual(['CN-2031-00002', 'CN-2031-00003']);
    expect(res.body.totals).toEqual({ count: 2, inclVat: '500.00', vat: '65.22', exclVat: '434.78' });
  });

  it('when the period holds more notes than the limit, then pages follow by number through the cursor, and every page carries the totals of the whole period', async () => {
    await notes(
      2032,
      Array.from({ length: 7 }, (_, i) => ({ at: `2032-05-0${i + 1}T08:00:00.000Z`, cents: 79900 })),
    );
    const numbers: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const res = await register({ from: '2032-05-01', to: '2032-05-31', limit: 3, ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      expect(res.body.totals).toEqual({ count: 7, inclVat: '5593.00', vat: '729.54', exclVat: '4863.46' });
      numbers.push(...res.body.items.map((n: { number: string }) => n.number));
      cursor = res.body.nextCursor ?? undefined;
      if (!cursor) break;
    }
    expect(numbers).toEqual(Array.from({ length: 7 }, (_, i) => `CN-2032-0000${i + 1}`));
  });

  it('when the amounts add up beyond what a double holds exactly, then the totals are still exact to the cent', async () => {
    // 2^52 + 1 and 2^52 cents: their sum, 2^53 + 1, is not a double.
    await notes(2033, [
      { at: '2033-01-10T08:00:00.000Z', cents: 4503599627370497n },
      { at: '2033-01-11T08:00:00.000Z', cents: 4503599627370496n },
    ]);
    const res = await register({ from: '2033-01-01', to: '2033-01-31' });
    expect(res.body.totals.inclVat).toBe('90071992547409.93');
    const vat = (4503599627370497n * 30n + 115n) / 230n + (4503599627370496n * 30n + 115n) / 230n;
    expect(res.body.totals.vat).toBe(`${vat / 100n}.${String(vat % 100n).padStart(2, '0')}`);
    const csv = await register({ from: '2033-01-01', to: '2033-01-31' }, { ...view, Accept: 'text/csv' });
    expect(
      csv.text
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(',')[8]),
    ).toEqual(['45035996273704.97', '45035996273704.96']);
  });

  it('when asked for text/csv, then the whole period comes as an attachment: the header row, then one note a line by number, amounts as in JSON', async () => {
    await notes(
      2034,
      Array.from({ length: 45 }, (_, i) => ({
        at: `2034-07-${String((i % 28) + 1).padStart(2, '0')}T08:00:00.000Z`,
        cents: 47947 + i,
      })),
    );
    const json = await register({ from: '2034-07-01', to: '2034-07-31', limit: 100 });

    const res = await register({ from: '2034-07-01', to: '2034-07-31' }, { ...view, Accept: 'text/csv' });

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="credit-notes_2034-07-01_2034-07-31.csv"');
    const lines = res.text.split('\n');
    expect(lines[0]).toBe(HEADER);
    expect(lines[lines.length - 1]).toBe(''); // every line ends with a newline
    const rows = lines.slice(1, -1).map((l) => l.split(','));
    expect(rows).toHaveLength(45);
    expect(rows).toEqual(
      json.body.items.map((n: Record<string, string | null>) => [
        n.number,
        n.issuedAt,
        n.customerId,
        n.serviceId,
        n.rewardId,
        n.runId ?? '',
        n.periodStart,
        n.periodEnd,
        n.amountInclVat,
        n.vatAmount,
        n.amountExclVat,
        n.vatRate,
      ]),
    );
    const cents = (col: number) => rows.reduce((sum, r) => sum + BigInt(r[col]!.replace('.', '')), 0n);
    const rand = (c: bigint) => `${c / 100n}.${String(c % 100n).padStart(2, '0')}`;
    expect({ count: rows.length, inclVat: rand(cents(8)), vat: rand(cents(9)), exclVat: rand(cents(10)) }).toEqual(
      json.body.totals,
    );
  });

  it('when a period has no notes, then JSON is empty with zero totals and the CSV is the header row alone', async () => {
    const res = await register({ from: '2040-01-01', to: '2040-12-31' });
    expect(res.body).toEqual({
      items: [],
      nextCursor: null,
      totals: { count: 0, inclVat: '0.00', vat: '0.00', exclVat: '0.00' },
    });
    const csv = await register({ from: '2040-01-01', to: '2040-12-31' }, { ...view, Accept: 'text/csv' });
    expect(csv.text).toBe(`${HEADER}\n`);
  });

  it('when downloads are abandoned part-way, more of them than the pool has connections, then the service still answers: each gave its connection back', async () => {
    await t.sql.query(
      `INSERT INTO credit_notes (id, number, year, sequence, customer_id, service_id, reward_id, period_start, period_end,
                                 amount_incl_vat_cents, vat_amount_cents, amount_excl_vat_cents, vat_rate_basis_points, issued_at)
       SELECT gen_random_uuid(), 'CN-2035-' || lpad(g::text, 5, '0'), 2035, g, 'cus_2035_' || g, 'svc_2035_' || g,
              gen_random_uuid(), '2035-01-01', '2035-01-31', 79900, 10422, 69478, 1500,
              '2035-01-10T08:00:00Z'::timestamptz + g * interval '1 second'
         FROM generate_series(1, 12000) AS g`,
    );
    const server = http.createServer(t.app.getHttpAdapter().getInstance() as http.RequestListener);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      for (let i = 0; i < t.config.databasePoolSize + 2; i++) {
        await new Promise<void>((resolve, reject) => {
          const req = http.get(
            {
              port,
              host: '127.0.0.1',
              path: '/api/admin/credit-notes?from=2035-01-01&to=2035-01-31',
              headers: { ...view, Accept: 'text/csv' },
            },
            (res) => {
              res.once('data', () => {
                req.destroy(); // the client goes away after the first chunk
                resolve();
              });
            },
          );
          req.on('error', (err) => (req.destroyed ? undefined : reject(err)));
        });
      }
      const after = await register({ from: '2035-01-01', to: '2035-01-31', limit: 1 });
      expect(after.status).toBe(200);
      expect(after.body.totals.count).toBe(12000);
      const full = await register({ from: '2035-01-01', to: '2035-01-31' }, { ...view, Accept: 'text/csv' });
      expect(full.text.split('\n')).toHaveLength(12002); // header, 12 000 notes, final newline
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it.each([
    ['no from', { to: '2026-01-31' }],
    ['no to', { from: '2026-01-01' }],
    ['to before from', { from: '2026-02-01', to: '2026-01-31' }],
    ['a date that does not exist', { from: '2026-02-30', to: '2026-03-31' }],
    ['a date outside 2000–2100', { from: '1999-12-31', to: '2026-03-31' }],
    ['a timestamp for a date', { from: '2026-01-01T00:00:00Z', to: '2026-03-31' }],
    ['a limit of 101', { from: '2026-01-01', to: '2026-03-31', limit: 101 }],
  ])('when the request has %s, then 400 problem+json (also for CSV)', async (_label, query) => {
    for (const headers of [view, { ...view, Accept: 'text/csv' }]) {
      const res = await register(query, headers);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(['VALIDATION_FAILED', 'INVALID_CURSOR']).toContain(res.body.code);
    }
  });

  it('when a page is asked with a forged cursor, then 400 INVALID_CURSOR (the CSV, the whole period, takes no cursor)', async () => {
    const res = await register({ from: '2026-01-01', to: '2026-03-31', cursor: 'Zm9yZ2Vk' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('INVALID_CURSOR');
  });

  it('when the caller lacks referrals:view, then 403', async () => {
    const res = await register({ from: '2026-01-01', to: '2026-01-31' }, bearer(adminToken(['reconciliation:run'])));
    expect(res.status).toBe(403);
  });
});
