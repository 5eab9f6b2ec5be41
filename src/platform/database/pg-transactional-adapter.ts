import type { TransactionalAdapter } from '@nestjs-cls/transactional';
import type pg from 'pg';

export type IsolationLevel = 'READ COMMITTED' | 'REPEATABLE READ' | 'SERIALIZABLE';

export interface PgTransactionOptions {
  isolationLevel?: IsolationLevel;
  /** statement_timeout for this transaction only (SET LOCAL), in ms. */
  statementTimeoutMs?: number;
}

/** What `TransactionHost.tx` holds: the pool outside a transaction, or the open transaction. */
export type PgExecutor = pg.Pool | PgTransaction;

/**
 * One open transaction on a connection taken from the pool: BEGIN … COMMIT owned here, so
 * statements go straight to node-postgres (no ORM transaction in between, bench/README.md).
 * Work registered with `beforeCommit` runs inside the transaction just before COMMIT (the outbox
 * writes all of a transaction's events in one statement that way).
 */
export class PgTransaction {
  private readonly deferred = new Map<object, { state: unknown; flush: (state: unknown) => Promise<void> }>();
  private readonly withCommit = new Map<
    object,
    { state: unknown; statement: (state: unknown) => pg.QueryConfig | null }
  >();
  private open = true;

  constructor(readonly client: pg.PoolClient) {}

  query<R extends pg.QueryResultRow>(config: pg.QueryConfig): Promise<pg.QueryResult<R>> {
    // Work that outlives its transaction (an un-awaited promise) must not reach a connection
    // that is back in the pool and perhaps in another transaction.
    if (!this.open) return Promise.reject(new Error('the transaction this statement belongs to has ended'));
    return this.client.query<R>(config);
  }

  beforeCommit<T>(owner: object, create: () => T, flush: (state: T) => Promise<void>): T {
    let entry = this.deferred.get(owner);
    if (!entry) {
      entry = { state: create(), flush: flush as (state: unknown) => Promise<void> };
      this.deferred.set(owner, entry);
    }
    return entry.state as T;
  }

  /**
   * Per-transaction state of `owner` whose one statement is sent together with COMMIT (pipelined:
   * one round trip for both). Should that statement fail, PostgreSQL ends the aborted transaction
   * with a ROLLBACK whatever follows, so nothing of the transaction is kept.
   */
  sendWithCommit<T>(owner: object, create: () => T, statement: (state: T) => pg.QueryConfig | null): T {
    let entry = this.withCommit.get(owner);
    if (!entry) {
      entry = { state: create(), statement: statement as (state: unknown) => pg.QueryConfig | null };
      this.withCommit.set(owner, entry);
    }
    return entry.state as T;
  }

  /** The statements to send with COMMIT, in registration order (and forgets them). */
  takeCommitStatements(): pg.QueryConfig[] {
    const statements: pg.QueryConfig[] = [];
    for (const { state, statement } of this.withCommit.values()) {
      const config = statement(state);
      if (config) statements.push(config);
    }
    this.withCommit.clear();
    return statements;
  }

  /** Runs the deferred flushes in registration order; a flush may defer more work (run too). */
  async flushBeforeCommit(): Promise<void> {
    while (this.deferred.size > 0) {
      const [owner, entry] = this.deferred.entries().next().value!;
      this.deferred.delete(owner);
      await entry.flush(entry.state);
    }
  }

  close(): void {
    this.open = false;
    this.deferred.clear();
    this.withCommit.clear();
  }
}

/**
 * @nestjs-cls/transactional adapter for node-postgres. The library keeps the current transaction
 * in the request's CLS context and implements propagation (Required, RequiresNew, …); this adapter
 * only says how a transaction starts and ends. Written here because no adapter for plain
 * node-postgres is published (the library ships Prisma, Knex, Kysely, TypeORM… adapters).
 */
export class PgTransactionalAdapter implements TransactionalAdapter<pg.Pool, PgExecutor, PgTransactionOptions> {
  constructor(readonly connectionToken: symbol) {}

  optionsFactory = (pool: pg.Pool) => ({
    getFallbackInstance: (): PgExecutor => pool,
    wrapWithTransaction: async (
      options: PgTransactionOptions,
      fn: (...args: unknown[]) => Promise<unknown>,
      setTx: (tx?: PgExecutor) => void,
    ): Promise<unknown> => {
      const client = await pool.connect();
      // Pipeline mode (node-postgres 8.23) for the transaction's life: statements a handler issues
      // together (Promise.all) are written to the connection together instead of one round trip
      // each; PostgreSQL still runs them one after another, in order, each with its own snapshot.
      // Awaited one by one they behave exactly as without it. Not for cursors (refused in this
      // mode): the credit-note export streams on a connection of its own, outside a transaction.
      const pipelined = client as pg.PoolClient & { pipeline: boolean };
      pipelined.pipeline = true;
      const tx = new PgTransaction(client);
      let broken: Error | undefined;
      // A checked-out connection that the server drops (restart, failover) emits 'error': handle it
      // (the pool only listens on idle ones), and never give that connection back for reuse.
      const onError = (err: Error) => (broken = err);
      client.on('error', onError);
      try {
        await client.query(options.isolationLevel ? `BEGIN ISOLATION LEVEL ${options.isolationLevel}` : 'BEGIN');
        if (options.statementTimeoutMs) {
          await client.query(`SET LOCAL statement_timeout = ${Math.trunc(options.statementTimeoutMs)}`);
        }
        setTx(tx);
        const result = await fn();
        await tx.flushBeforeCommit();
        // The last statements (the outbox's one INSERT) and COMMIT in one round trip. If one of
        // them fails, the COMMIT behind it finds an aborted transaction and rolls it back.
        await Promise.all([...tx.takeCommitStatements().map((c) => client.query(c)), client.query('COMMIT')]);
        return result;
      } catch (err) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackError) {
          // The connection itself failed (server restart, network): never give it back to the pool.
          broken = rollbackError as Error;
        }
        throw err;
      } finally {
        tx.close();
        // Every statement has been answered (COMMIT or ROLLBACK was awaited): back to one at a time.
        pipelined.pipeline = false;
        client.off('error', onError);
        client.release(broken);
      }
    },
  });
}
