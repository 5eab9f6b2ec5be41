import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Propagation, TransactionHost } from '@nestjs-cls/transactional';
import type pg from 'pg';
import {
  PgTransaction,
  type PgExecutor,
  type PgTransactionalAdapter,
  type PgTransactionOptions,
} from './pg-transactional-adapter.js';
import { PG_POOL } from './pg-pool.js';
import type { SqlStatement } from './sql.js';

export { Propagation };

/** Rows of a statement, as node-postgres returns them with the service's type parsers (pg-pool.ts). */
export type Row = Record<string, unknown>;

const DEFAULT_TX_OPTIONS: PgTransactionOptions = {};

/**
 * The one way repositories reach PostgreSQL: plain SQL built with the `sql` tag, typed at the call
 * site, on the current transaction's connection (or the pool outside one).
 *
 * Transactions are @nestjs-cls/transactional's (`TransactionHost`, propagation, the CLS context)
 * over a node-postgres adapter (pg-transactional-adapter.ts). One command = one transaction:
 * `@Transactional()` on a handler method, or `db.transaction(fn)`; everything called inside —
 * repositories, the outbox writer, other contexts' commands on the bus — joins it.
 */
@Injectable()
export class Db {
  constructor(
    @Inject(TransactionHost) private readonly host: TransactionHost<PgTransactionalAdapter>,
    @Inject(PG_POOL) readonly pool: pg.Pool,
  ) {}

  /** Every row of a statement. */
  async query<T extends object = Row>(statement: SqlStatement): Promise<T[]> {
    return (await this.run<T & pg.QueryResultRow>(statement)).rows;
  }

  /** The one row a statement returns (an error when it returns none or several). */
  async one<T extends object = Row>(statement: SqlStatement): Promise<T> {
    const rows = await this.query<T>(statement);
    if (rows.length !== 1)
      throw new Error(`expected exactly one row, got ${rows.length}: ${firstLine(statement.text)}`);
    return rows[0]!;
  }

  /** The first row, or null. */
  async maybeOne<T extends object = Row>(statement: SqlStatement): Promise<T | null> {
    return (await this.query<T>(statement))[0] ?? null;
  }

  /** Rows affected (INSERT / UPDATE / DELETE). */
  async execute(statement: SqlStatement): Promise<number> {
    return (await this.run(statement)).rowCount ?? 0;
  }

  /** Runs `fn` in a transaction, joining the current one if any (or always a new one with RequiresNew). */
  transaction<R>(fn: () => Promise<R>): Promise<R>;
  transaction<R>(options: PgTransactionOptions, fn: () => Promise<R>): Promise<R>;
  transaction<R>(propagation: Propagation, fn: () => Promise<R>): Promise<R>;
  transaction<R>(...args: unknown[]): Promise<R> {
    const fn = args.pop() as () => Promise<R>;
    const propagation = typeof args[0] === 'string' ? (args[0] as Propagation) : Propagation.Required;
    const options = (typeof args[0] === 'object' ? args[0] : DEFAULT_TX_OPTIONS) as PgTransactionOptions;
    return this.host.withTransaction(propagation, options, fn);
  }

  get inTransaction(): boolean {
    return this.host.isTransactionActive();
  }

  /**
   * Per-transaction state of `owner`, flushed once just before the transaction commits (inside
   * it: a failing flush rolls everything back). Outside a transaction: undefined.
   */
  beforeCommit<T>(owner: object, create: () => T, flush: (state: T) => Promise<void>): T | undefined {
    const tx = this.current();
    return tx instanceof PgTransaction ? tx.beforeCommit(owner, create, flush) : undefined;
  }

  /**
   * Per-transaction state of `owner` whose one statement (built from it when the transaction
   * ends) is sent together with COMMIT: one round trip for both, and the statement still inside
   * the transaction (if it fails, nothing commits). Outside a transaction: undefined.
   */
  sendWithCommit<T>(owner: object, create: () => T, statement: (state: T) => SqlStatement | null): T | undefined {
    const tx = this.current();
    if (!(tx instanceof PgTransaction)) return undefined;
    return tx.sendWithCommit(owner, create, (state) => {
      const s = statement(state);
      return s ? queryConfig(s) : null;
    });
  }

  private current(): PgExecutor {
    return this.host.tx;
  }

  private run<T extends pg.QueryResultRow>(statement: SqlStatement): Promise<pg.QueryResult<T>> {
    // A named statement is parsed and planned once per connection, then only bound and run.
    const config = queryConfig(statement);
    // Either the pool or the open transaction: both run a QueryConfig the same way.
    return (this.current() as { query(c: pg.QueryConfig): Promise<pg.QueryResult<T>> }).query(config);
  }
}

/**
 * Runs the decorated method in a transaction (joining the current one, if any). The transaction
 * host is the one of the `Db` injected into the instance, so several applications in one process
 * (tests, tools) each use their own database — @nestjs-cls/transactional's own decorator looks the
 * host up in a process-wide registry instead, which holds only the last application's.
 */
export function Transactional(options: PgTransactionOptions = DEFAULT_TX_OPTIONS): MethodDecorator {
  return (_target, key, descriptor: PropertyDescriptor) => {
    const original = descriptor.value as (...a: unknown[]) => Promise<unknown>;
    descriptor.value = function (this: object, ...a: unknown[]) {
      const db = Object.values(this).find((v): v is Db => v instanceof Db);
      if (!db) throw new Error(`@Transactional() on ${String(key)}: the class must inject Db`);
      return db.transaction(options, () => original.apply(this, a));
    };
    Object.defineProperty(descriptor.value, 'name', { value: original.name });
    return descriptor;
  };
}

/** A named (prepared) statement: parsed and planned once per connection, then only bound and run. */
function queryConfig(statement: SqlStatement): pg.QueryConfig {
  return { name: statementName(statement.text), text: statement.text, values: statement.values };
}

/**
 * One prepared-statement name per distinct SQL text. The texts come from `sql` template literals,
 * so there are as many as there are call sites (a few dozen), each prepared at most once per
 * pooled connection (bench/results/query-plans.md checks their generic plans).
 */
const statementNames = new Map<string, string>();
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) {
    name = `ct_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    statementNames.set(text, name);
  }
  return name;
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0]!.slice(0, 120);
}
