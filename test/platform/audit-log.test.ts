import { Db } from '../../src/platform/database/db.js';
import request from 'supertest';
import { AuditLog, type AuditEntryInput } from '../../src/platform/audit/audit-log.js';
import { adminToken, bearer, customerToken } from '../support/auth.js';
import { uniqueId } from '../support/billing.js';
import { startTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
const viewer = bearer(adminToken(['referrals:view'], 'admin-viewer'));

beforeAll(async () => {
  t = await startTestApp({ now: '2026-06-15T10:00:00.000Z' });
});

afterAll(async () => {
  await t?.close();
});

/** Appends inside a transaction, as a command handler does. */
function append(entry: Partial<AuditEntryInput> & { customerId: string }): Promise<string> {
  return t
    .get<Db>(Db)
    .transaction(() =>
      t
        .get<AuditLog>(AuditLog)
        .append({ actor: 'admin-7', action: 'reward.granted', subjectId: uniqueId('rwd'), ...entry }),
    );
}

const list = (customerId: string, query = '', auth = viewer) =>
  request(t.server).get(`/api/admin/customers/${customerId}/audit-log${query}`).set(auth);

describe('audit log', () => {
  it('lists what was appended, with actor, action, subject, reason and the state before and after', async () => {
    const customerId = uniqueId('cus');
    t.clock.set('2026-06-15T10:00:00.000Z');
    const id = await append({
      customerId,
      actor: 'admin-42',
      action: 'reward.revoked',
      subjectId: 'rwd_1',
      reason: 'Duplicate account confirmed',
      before: { status: 'pending', amountCents: 79900n },
      after: { status: 'revoked', revokedAt: new Date('2026-06-15T10:00:00.000Z') },
    });

    const res = await list(customerId);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      items: [
        {
          id,
          at: '2026-06-15T10:00:00.000Z',
          actor: 'admin-42',
          action: 'reward.revoked',
          subjectId: 'rwd_1',
          reason: 'Duplicate account confirmed',
          before: { status: 'pending', amountCents: '79900' },
          after: { status: 'revoked', revokedAt: '2026-06-15T10:00:00.000Z' },
        },
      ],
      nextCursor: null,
    });
  });

  it("shows only that customer's entries, and an empty list for a customer without any", async () => {
    const mine = uniqueId('cus');
    await append({ customerId: mine });
    await append({ customerId: uniqueId('cus') });

    expect((await list(mine)).body.items).toHaveLength(1);
    expect(await list(uniqueId('cus')).then((r) => r.body)).toEqual({ items: [], nextCursor: null });
  });

  it('writes nothing when the transaction that appended rolls back', async () => {
    const customerId = uniqueId('cus');
    await expect(
      t.get<Db>(Db).transaction(async () => {
        await t.get<AuditLog>(AuditLog).append({ actor: 'a', action: 'reward.granted', customerId, subjectId: 's' });
        throw new Error('the change was refused');
      }),
    ).rejects.toThrow('the change was refused');

    expect((await list(customerId)).body.items).toEqual([]);
  });

  it('pages newest first with a cursor, also through entries made in the same instant', async () => {
    const customerId = uniqueId('cus');
    const ids: string[] = [];
    t.clock.set('2026-06-15T09:00:00.000Z');
    ids.push(await append({ customerId, action: 'a1' }));
    t.clock.set('2026-06-15T09:05:00.000Z');
    ids.push(await append({ customerId, action: 'a2' }));
    ids.push(await append({ customerId, action: 'a3' })); // same instant as a2
    ids.push(await append({ customerId, action: 'a4' })); // same instant as a2
    t.clock.set('2026-06-15T09:10:00.000Z');
    ids.push(await append({ customerId, action: 'a5' }));

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await list(customerId, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items.map((i: { action: string }) => i.action));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 10);

    expect(seen).toEqual(['a5', 'a4', 'a3', 'a2', 'a1']);
    expect(pages).toBe(3);
    const all = await list(customerId);
    expect(all.body.items.map((i: { id: string }) => i.id)).toEqual([...ids].reverse());
  });

  it('gives entries UUID v7 ids that keep the order they were written in, within one millisecond too', async () => {
    const customerId = uniqueId('cus');
    const audit = t.get<AuditLog>(AuditLog);
    // Started in one go: the ids are made synchronously, in this order, mostly in the same millisecond.
    const ids = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        audit.append({ actor: 'admin-7', action: `a${i}`, customerId, subjectId: uniqueId('rwd') }),
      ),
    );
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([...ids].sort()).toEqual(ids);
    const page = await list(customerId, '?limit=20');
    expect(page.body.items.map((i: { action: string }) => i.action)).toEqual(
      Array.from({ length: 20 }, (_, i) => `a${19 - i}`),
    );
  });

  it('returns 20 entries by default', async () => {
    const customerId = uniqueId('cus');
    for (let i = 0; i < 21; i++) await append({ customerId, action: `a${i}` });

    const res = await list(customerId);

    expect(res.body.items).toHaveLength(20);
    expect(typeof res.body.nextCursor).toBe('string');
    expect((await list(customerId, `?cursor=${res.body.nextCursor}`)).body.items).toHaveLength(1);
  });

  it('is append-only: the database refuses to change or delete an entry', async () => {
    const customerId = uniqueId('cus');
    const id = await append({ customerId, reason: 'original reason' });

    await expect(t.sql.query(`UPDATE audit_log SET reason = 'rewritten' WHERE id = $1`, [id])).rejects.toThrow(
      /append-only/,
    );
    await expect(t.sql.query('DELETE FROM audit_log WHERE id = $1', [id])).rejects.toThrow(/append-only/);

    expect((await list(customerId)).body.items[0]).toMatchObject({ id, reason: 'original reason' });
  });

  it.each([
    ['a limit of 0', '?limit=0'],
    ['a limit over 100', '?limit=101'],
    ['a limit that is not a number', '?limit=ten'],
    ['a cursor this endpoint did not issue', `?cursor=${Buffer.from('{"at":"x"}').toString('base64url')}`],
    ['a cursor with characters outside base64url', '?cursor=abc%24'],
    ['an unknown query parameter', '?sort=asc'],
  ])('answers 400 for %s', async (_what, query) => {
    const res = await list(uniqueId('cus'), query);

    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('answers 400 for a customer id that is not a billing id', async () => {
    for (const bad of ['bad.id', 'x'.repeat(65), 'a%20b']) {
      const res = await list(bad);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'id' })]);
    }
  });

  it('answers 401 without a token, 403 for a customer and 403 for an admin without referrals:view', async () => {
    const customerId = uniqueId('cus');
    await append({ customerId });

    expect((await request(t.server).get(`/api/admin/customers/${customerId}/audit-log`)).status).toBe(401);
    expect((await list(customerId, '', bearer(customerToken(customerId)))).status).toBe(403);
    expect((await list(customerId, '', bearer(adminToken(['referrals:manage', 'reconciliation:run'])))).status).toBe(
      403,
    );
  });

  it('is documented in the OpenAPI document', async () => {
    const doc = (await request(t.server).get('/docs-json')).body;
    const op = doc.paths['/api/admin/customers/{id}/audit-log']?.get;

    expect(op).toBeDefined();
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403']));
    expect(op.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['id', 'limit', 'cursor']),
    );
  });
});
