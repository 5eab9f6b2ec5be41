import { randomUUID } from 'node:crypto';
import { Injectable, Module } from '@nestjs/common';
import { Db, Propagation, Transactional } from '../../src/platform/database/db.js';
import { sql } from '../../src/platform/database/sql.js';
import { startTestApp, type TestApp } from '../support/app.js';

/** A tiny service of the test's own, to check @Transactional() resolves the Db of its own application. */
@Injectable()
class RecordsAnEvent {
  constructor(private readonly db: Db) {}

  @Transactional()
  async record(id: string, fail = false): Promise<string> {
    await this.db.execute(sql`INSERT INTO billing_inbound_events (id, type, occurred_at, payload)
                              VALUES (${id}, 'test.db', now(), '{}'::jsonb)`);
    if (fail) throw new Error('roll back');
    return (await this.db.one<{ db: string }>(sql`SELECT current_database() AS db`)).db;
  }
}

@Module({ providers: [RecordsAnEvent], exports: [RecordsAnEvent] })
class RecordsAnEventModule {}

/**
 * The one way to the database (src/platform/database/db.ts): plain SQL on node-postgres, in
 * transactions owned by @nestjs-cls/transactional's TransactionHost over our pg adapter.
 */
describe('Db: plain SQL in transactions', () => {
  let t: TestApp;
  let db: Db;

  beforeAll(async () => {
    t = await startTestApp({ imports: [RecordsAnEventModule] });
    db = t.get(Db);
  });
  afterAll(() => t.close());

  const insertEvent = (id: string) =>
    db.execute(sql`INSERT INTO billing_inbound_events (id, type, occurred_at, payload)
                   VALUES (${id}, 'test.db', ${new Date()}, ${JSON.stringify({ id })}::jsonb)`);
  const stored = async (id: string) =>
    (await t.sql.query('SELECT 1 FROM billing_inbound_events WHERE id = $1', [id])).rowCount === 1;

  it('statements in one transaction see each other, other connections do not, and a failure rolls them all back', async () => {
    const a = `evt_${randomUUID()}`;
    const b = `evt_${randomUUID()}`;
    await expect(
      db.transaction(async () => {
        await insertEvent(a);
        await insertEvent(b);
        expect(
          await db.query(sql`SELECT id FROM billing_inbound_events WHERE id IN (${a}, ${b}) ORDER BY id`),
        ).toHaveLength(2);
        expect(await stored(a)).toBe(false);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await stored(a)).toBe(false);
    expect(await stored(b)).toBe(false);
  });

  it('statements issued together in a transaction are pipelined: run in order, each seeing the ones before; a failure rolls back all', async () => {
    const a = `evt_${randomUUID()}`;
    const [, seen] = await db.transaction(() =>
      Promise.all([
        insertEvent(a),
        db.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM billing_inbound_events WHERE id = ${a}`),
      ]),
    );
    expect(seen.n).toBe(1);
    expect(await stored(a)).toBe(true);

    const b = `evt_${randomUUID()}`;
    const c = `evt_${randomUUID()}`;
    await expect(
      db.transaction(() => Promise.all([insertEvent(b), db.query(sql`SELECT 1 / 0 AS boom`), insertEvent(c)])),
    ).rejects.toThrow(/division by zero/);
    expect(await stored(b)).toBe(false);
    expect(await stored(c)).toBe(false);
    // The connection went back to the pool working, one statement at a time again.
    expect(await db.transaction(() => db.one<{ x: number }>(sql`SELECT 1::int AS x`))).toEqual({ x: 1 });
  });

  it('commits with the transaction', async () => {
    const id = `evt_${randomUUID()}`;
    await db.transaction(() => insertEvent(id));
    expect(await stored(id)).toBe(true);
  });

  it('runs concurrent transactions on their own connections, each keeping its own for its whole life', async () => {
    const pids = await Promise.all(
      Array.from({ length: 4 }, () =>
        db.transaction(async () => {
          const { pid } = await db.one<{ pid: number }>(sql`SELECT pg_backend_pid() AS pid`);
          await new Promise((r) => setTimeout(r, 50)); // all four open at once
          const again = await db.one<{ pid: number }>(sql`SELECT pg_backend_pid() AS pid`);
          expect(again.pid).toBe(pid);
          return pid;
        }),
      ),
    );
    expect(new Set(pids).size).toBe(4);
  });

  it('joins the enclosing transaction by default; RequiresNew commits on its own connection', async () => {
    const inner = `evt_${randomUUID()}`;
    const joined = `evt_${randomUUID()}`;
    await expect(
      db.transaction(async () => {
        const outer = await db.one<{ pid: number }>(sql`SELECT pg_backend_pid() AS pid`);
        await db.transaction(async () => {
          expect((await db.one<{ pid: number }>(sql`SELECT pg_backend_pid() AS pid`)).pid).toBe(outer.pid);
          await insertEvent(joined);
        });
        await db.transaction(Propagation.RequiresNew, async () => {
          expect((await db.one<{ pid: number }>(sql`SELECT pg_backend_pid() AS pid`)).pid).not.toBe(outer.pid);
          await insertEvent(inner);
        });
        throw new Error('outer rolls back');
      }),
    ).rejects.toThrow('outer rolls back');
    expect(await stored(inner)).toBe(true);
    expect(await stored(joined)).toBe(false);
  });

  it('outside a transaction each statement commits on its own, and values are bound, not spliced', async () => {
    const id = `evt_${randomUUID()}'); DROP TABLE billing_inbound_events; --`;
    expect(db.inTransaction).toBe(false);
    expect(await insertEvent(id)).toBe(1);
    expect(await stored(id)).toBe(true);
  });

  it('reads every column with one set of types: bigint as bigint, dates as YYYY-MM-DD, timestamps as Date', async () => {
    const row = await db.one<{ big: bigint; day: string; at: Date; n: number; money: string }>(
      sql`SELECT 9007199254740993::bigint AS big, '2026-02-28'::date AS day,
                 '2026-02-28T22:00:00Z'::timestamptz AS at, 42::int AS n, 1.5::numeric AS money`,
    );
    expect(row).toEqual({
      big: 9007199254740993n,
      day: '2026-02-28',
      at: new Date('2026-02-28T22:00:00.000Z'),
      n: 42,
      money: '1.5',
    });
  });

  it('one() insists on exactly one row; maybeOne() gives null for none', async () => {
    await expect(db.one(sql`SELECT 1 WHERE false`)).rejects.toThrow(/exactly one row, got 0/);
    expect(await db.maybeOne(sql`SELECT 1 WHERE false`)).toBeNull();
  });

  describe('sendWithCommit', () => {
    const insertOf = (ids: string[]) => sql`
      INSERT INTO billing_inbound_events (id, type, occurred_at, payload)
      SELECT id, 'test.db', now(), '{}'::jsonb FROM unnest(${ids}::text[]) AS t(id)`;

    it('builds its one statement when the transaction ends and commits it with the rest; nothing when it rolls back', async () => {
      const owner = {};
      const ids = [`evt_${randomUUID()}`, `evt_${randomUUID()}`];
      const other = `evt_${randomUUID()}`;
      await db.transaction(async () => {
        await insertEvent(other);
        for (const id of ids) db.sendWithCommit(owner, () => [] as string[], insertOf)!.push(id);
        expect(await stored(ids[0]!)).toBe(false);
      });
      for (const id of [...ids, other]) expect(await stored(id)).toBe(true);

      const never = `evt_${randomUUID()}`;
      await expect(
        db.transaction(async () => {
          db.sendWithCommit(owner, () => [] as string[], insertOf)!.push(never);
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      expect(await stored(never)).toBe(false);
    });

    it('a failing statement sent with COMMIT leaves nothing of the transaction committed', async () => {
      const id = `evt_${randomUUID()}`;
      await expect(
        db.transaction(async () => {
          await insertEvent(id);
          db.sendWithCommit(
            {},
            () => null,
            () => sql`SELECT 1 / 0`,
          );
        }),
      ).rejects.toThrow(/division by zero/);
      expect(await stored(id)).toBe(false);
      // The connection is usable again afterwards.
      expect(await db.transaction(() => db.one<{ x: number }>(sql`SELECT 1::int AS x`))).toEqual({ x: 1 });
    });

    it('outside a transaction there is nothing to send with', () => {
      expect(
        db.sendWithCommit(
          {},
          () => [],
          () => null,
        ),
      ).toBeUndefined();
    });
  });

  describe('beforeCommit', () => {
    it('flushes once, inside the transaction, just before it commits; nothing when it rolls back', async () => {
      const owner = {};
      const flushed: string[][] = [];
      const ids = [`evt_${randomUUID()}`, `evt_${randomUUID()}`];
      await db.transaction(async () => {
        for (const id of ids) {
          db.beforeCommit(
            owner,
            () => [] as string[],
            async (all: string[]) => {
              flushed.push([...all]);
              for (const x of all) await insertEvent(x);
            },
          )!.push(id);
        }
        expect(flushed).toEqual([]);
      });
      expect(flushed).toEqual([ids]);
      for (const id of ids) expect(await stored(id)).toBe(true);

      await expect(
        db.transaction(async () => {
          db.beforeCommit(
            owner,
            () => [] as string[],
            async () => {
              flushed.push(['never']);
            },
          )!.push('x');
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      expect(flushed).toHaveLength(1);
    });

    it('a failing flush rolls back the whole transaction', async () => {
      const id = `evt_${randomUUID()}`;
      await expect(
        db.transaction(async () => {
          await insertEvent(id);
          db.beforeCommit(
            {},
            () => null,
            async () => {
              await db.query(sql`SELECT 1 / 0`);
            },
          );
        }),
      ).rejects.toThrow(/division by zero/);
      expect(await stored(id)).toBe(false);
    });

    it('outside a transaction there is nothing to defer to', () => {
      expect(
        db.beforeCommit(
          {},
          () => [],
          async () => undefined,
        ),
      ).toBeUndefined();
    });
  });

  it('two applications in one process each run @Transactional() methods on their own database', async () => {
    const other = await startTestApp({ imports: [RecordsAnEventModule] });
    try {
      const mine = t.get<RecordsAnEvent>(RecordsAnEvent);
      const theirs = other.get<RecordsAnEvent>(RecordsAnEvent);
      const [a, b] = [`evt_${randomUUID()}`, `evt_${randomUUID()}`];
      const [dbA, dbB] = await Promise.all([mine.record(a), theirs.record(b)]);
      expect(dbA).not.toBe(dbB);
      expect(await stored(a)).toBe(true);
      expect(await stored(b)).toBe(false);
      expect((await other.sql.query('SELECT 1 FROM billing_inbound_events WHERE id = $1', [b])).rowCount).toBe(1);
      const c = `evt_${randomUUID()}`;
      await expect(theirs.record(c, true)).rejects.toThrow('roll back');
      expect((await other.sql.query('SELECT 1 FROM billing_inbound_events WHERE id = $1', [c])).rowCount).toBe(0);
    } finally {
      await other.close();
    }
  });
});
