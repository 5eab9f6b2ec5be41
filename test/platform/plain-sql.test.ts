import { randomUUID } from 'node:crypto';
import { sql } from '../../src/platform/database/sql.js';
import { Propagation, TransactionHost } from '../../src/platform/database/transaction.js';
import { startTestApp, type TestApp } from '../support/app.js';

/**
 * TransactionHost.sql/.exec send plain SQL to the connection of the Prisma transaction that is
 * open in the current async context (src/platform/database/sql.ts). What must hold: plain SQL
 * and Prisma calls in one transaction commit or roll back together and see each other's
 * writes, concurrent transactions never share a connection, and outside a transaction the
 * statement runs on its own (autocommit).
 */
describe('plain SQL through TransactionHost', () => {
  let t: TestApp;
  let db: TransactionHost;

  beforeAll(async () => {
    t = await startTestApp();
    db = t.get(TransactionHost);
  });
  afterAll(() => t.close());

  const insertEvent = (id: string) =>
    db.exec(sql`INSERT INTO billing_inbound_events (id, type, occurred_at, payload)
                VALUES (${id}, 'test.plain_sql', ${new Date()}, ${JSON.stringify({ id })}::jsonb)`);
  const stored = async (id: string) =>
    (await t.sql.query('SELECT 1 FROM billing_inbound_events WHERE id = $1', [id])).rowCount === 1;

  it('joins the Prisma transaction: both see each other, and a failure rolls both back', async () => {
    const plain = `evt_${randomUUID()}`;
    const viaPrisma = `evt_${randomUUID()}`;
    await expect(
      db.withTransaction(async () => {
        await insertEvent(plain);
        // Prisma, in the same transaction, sees the plain insert…
        expect(await db.tx.inboundEvent.count({ where: { id: plain } })).toBe(1);
        await db.tx.inboundEvent.create({
          data: { id: viaPrisma, type: 'test.plain_sql', occurredAt: new Date(), payload: {} },
        });
        // …and plain SQL sees Prisma's, while another connection sees neither yet.
        expect(await db.sql(sql`SELECT id FROM billing_inbound_events WHERE id = ${viaPrisma}`)).toEqual([
          { id: viaPrisma },
        ]);
        expect(await stored(plain)).toBe(false);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await stored(plain)).toBe(false);
    expect(await stored(viaPrisma)).toBe(false);
  });

  it('commits with the transaction', async () => {
    const id = `evt_${randomUUID()}`;
    await db.withTransaction(() => insertEvent(id));
    expect(await stored(id)).toBe(true);
  });

  it('runs concurrent transactions on their own connections', async () => {
    const pids = await Promise.all(
      Array.from({ length: 4 }, () =>
        db.withTransaction(async () => {
          const [{ pid }] = await db.sql<{ pid: number }>(sql`SELECT pg_backend_pid() AS pid`);
          await new Promise((r) => setTimeout(r, 50)); // all four open at once
          const [again] = await db.sql<{ pid: number }>(sql`SELECT pg_backend_pid() AS pid`);
          const [viaPrisma] = await db.tx.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
          expect(again!.pid).toBe(pid);
          expect(viaPrisma!.pid).toBe(pid);
          return pid;
        }),
      ),
    );
    expect(new Set(pids).size).toBe(4);
  });

  it('a REQUIRES_NEW transaction inside another commits on its own connection', async () => {
    const inner = `evt_${randomUUID()}`;
    await expect(
      db.withTransaction(async () => {
        const [outer] = await db.sql<{ pid: number }>(sql`SELECT pg_backend_pid() AS pid`);
        await db.withTransaction(Propagation.RequiresNew, async () => {
          const [own] = await db.sql<{ pid: number }>(sql`SELECT pg_backend_pid() AS pid`);
          expect(own!.pid).not.toBe(outer!.pid);
          await insertEvent(inner);
        });
        throw new Error('outer rolls back');
      }),
    ).rejects.toThrow('outer rolls back');
    expect(await stored(inner)).toBe(true);
  });

  it('outside a transaction each statement commits on its own, and values are bound, not spliced', async () => {
    const id = `evt_${randomUUID()}'); DROP TABLE billing_inbound_events; --`;
    expect(db.isTransactionActive()).toBe(false);
    expect(await insertEvent(id)).toBe(1);
    expect(await stored(id)).toBe(true);
  });

  describe('deferUntilCommit', () => {
    it('flushes once, inside the transaction, just before it commits; nothing when it rolls back', async () => {
      const owner = {};
      const flushed: string[][] = [];
      const ids = [`evt_${randomUUID()}`, `evt_${randomUUID()}`];
      await db.withTransaction(async () => {
        for (const id of ids) {
          db.deferUntilCommit(
            owner,
            () => [] as string[],
            async (all) => {
              flushed.push([...all]);
              for (const x of all) await insertEvent(x);
            },
          )!.push(id);
        }
        expect(flushed).toEqual([]);
      });
      expect(flushed).toEqual([ids]);
      for (const id of ids) expect(await stored(id)).toBe(true);

      const rolledBack = `evt_${randomUUID()}`;
      await expect(
        db.withTransaction(async () => {
          db.deferUntilCommit(
            owner,
            () => [] as string[],
            async () => {
              flushed.push(['never']);
            },
          )!.push(rolledBack);
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      expect(flushed).toHaveLength(1);
    });

    it('a failing flush rolls back the whole transaction', async () => {
      const id = `evt_${randomUUID()}`;
      await expect(
        db.withTransaction(async () => {
          await insertEvent(id);
          db.deferUntilCommit(
            {},
            () => null,
            async () => {
              await db.sql(sql`SELECT 1 / 0`);
            },
          );
        }),
      ).rejects.toThrow(/division by zero/);
      expect(await stored(id)).toBe(false);
    });

    it('outside a transaction there is nothing to defer to', () => {
      expect(
        db.deferUntilCommit(
          {},
          () => [],
          async () => undefined,
        ),
      ).toBeUndefined();
    });
  });
});
