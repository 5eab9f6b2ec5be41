import { createHash } from 'node:crypto';
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { clearLogs as clearPrismaDebugHistory } from '@prisma/debug';
import type { Prisma } from './generated/client.js';
import { PrismaService } from './prisma.service.js';
import { transactionScope as storage, type SqlStatement, type TransactionScope } from './sql.js';

/**
 * One command = one transaction, shared by everything it calls, without passing a client around.
 *
 * `TransactionHost.tx` is the Prisma client of the transaction opened by the innermost enclosing
 * `@Transactional()` method or `withTransaction()` call in the current async context, or the
 * plain client outside one. Nested calls join the enclosing transaction (propagation
 * "required"), so a reconciliation dry run can wrap every batch in one transaction and roll back.
 *
 * Why hand-written: nestjs-cls 6 (the version @nestjs-cls/transactional 3.3 supports) is
 * CommonJS and `require`s the ESM-only @nestjs/common 12, which Jest 30 cannot load on
 * Node 20 (`Must use import to load ES Module`). The API mirrors @nestjs-cls/transactional
 * (`TransactionHost`, `@Transactional()`, `withTransaction`) so it can be swapped back.
 */
export type TxClient = Prisma.TransactionClient;
export interface TxOptions {
  timeout?: number;
  maxWait?: number;
  isolationLevel?: Prisma.TransactionIsolationLevel;
}

const DEFAULTS: Required<Pick<TxOptions, 'timeout' | 'maxWait'>> = { timeout: 60_000, maxWait: 10_000 };
/** Live hosts, newest last (a test process may run several apps; each closes its own). */
const hosts: TransactionHost[] = [];

export enum Propagation {
  /** Join the enclosing transaction, or open one (the default). */
  Required = 'REQUIRED',
  /** Always open a new, independent transaction. */
  RequiresNew = 'REQUIRES_NEW',
}

@Injectable()
export class TransactionHost<_Adapter = unknown> implements OnModuleDestroy {
  constructor(private readonly prisma: PrismaService) {
    hosts.push(this);
  }

  onModuleDestroy(): void {
    const i = hosts.indexOf(this);
    if (i >= 0) hosts.splice(i, 1);
  }

  /** The current transaction's client, or the plain client outside a transaction. */
  get tx(): TxClient {
    return storage.getStore()?.tx ?? (this.prisma as unknown as TxClient);
  }

  isTransactionActive(): boolean {
    return storage.getStore()?.tx !== undefined;
  }

  /**
   * Rows of a plain SQL statement (built with the `sql` tag), run on the current transaction's
   * connection, or on the pool outside a transaction — without Prisma's query engine (see sql.ts).
   * Results are node-postgres's: timestamptz → Date, int8/numeric → string, json → object.
   */
  async sql<T = Record<string, unknown>>(statement: SqlStatement): Promise<T[]> {
    return (await this.run(statement)).rows as T[];
  }

  /** Like `sql`, for a statement whose affected row count is the answer (INSERT/UPDATE/DELETE). */
  async exec(statement: SqlStatement): Promise<number> {
    return (await this.run(statement)).rowCount ?? 0;
  }

  /**
   * Per-transaction state of `owner`, flushed once just before the transaction commits (after
   * the work, inside the transaction; a failing flush rolls everything back). The outbox uses it
   * to write all of a transaction's events in one statement. Outside a transaction: undefined.
   */
  deferUntilCommit<T>(owner: object, create: () => T, flush: (state: T) => Promise<void>): T | undefined {
    const scope = storage.getStore();
    if (!scope?.tx) return undefined;
    scope.beforeCommit ??= new Map();
    let entry = scope.beforeCommit.get(owner);
    if (!entry) {
      entry = { state: create(), flush: flush as (state: unknown) => Promise<void> };
      scope.beforeCommit.set(owner, entry);
    }
    return entry.state as T;
  }

  private run(statement: SqlStatement) {
    // A named statement is parsed and planned once per connection, then only bound and run.
    const query = { name: statementName(statement.text), text: statement.text, values: statement.values };
    const scope = storage.getStore();
    if (scope?.tx) return scope.connection!.query(query);
    return this.prisma.pool.query(query);
  }

  withTransaction<R>(fn: () => Promise<R>): Promise<R>;
  withTransaction<R>(options: TxOptions, fn: () => Promise<R>): Promise<R>;
  withTransaction<R>(propagation: Propagation, fn: () => Promise<R>): Promise<R>;
  withTransaction<R>(propagation: Propagation, options: TxOptions, fn: () => Promise<R>): Promise<R>;
  withTransaction<R>(...args: unknown[]): Promise<R> {
    const fn = args.pop() as () => Promise<R>;
    const propagation = typeof args[0] === 'string' ? (args.shift() as Propagation) : Propagation.Required;
    const options = (args[0] as TxOptions | undefined) ?? {};
    if (propagation === Propagation.Required && storage.getStore()?.tx) return fn();
    const scope: TransactionScope = {};
    return storage
      .run(scope, () =>
        this.prisma.$transaction(
          (tx) => {
            // CapturingPrismaPg has put the transaction's connection in this scope by now.
            if (!scope.connection)
              throw new Error('the pg connection of the Prisma transaction was not captured (see sql.ts)');
            scope.tx = tx;
            return fn().then(async (result) => {
              await flushBeforeCommit(scope);
              return result;
            });
          },
          { ...DEFAULTS, ...options },
        ),
      )
      .finally(() => {
        // Work that outlives the transaction (an un-awaited promise) must not reach a connection
        // that is back in the pool and perhaps in another transaction.
        scope.tx = undefined;
        scope.connection = undefined;
        scope.beforeCommit = undefined;
        clearPrismaDebugHistory();
      });
  }
}

/*
 * @prisma/adapter-pg passes every query (SQL and parameters) to @prisma/debug, which keeps the
 * last 100 calls' arguments in memory for error reports even when DEBUG is off. A nightly batch
 * sends parameter arrays of thousands of ids, so that history alone held ~100 MB. It is cleared
 * after each outermost transaction (clearPrismaDebugHistory above; measured in bench/README.md).
 */

/** Runs the decorated async method in a transaction (joining the enclosing one, if any). */
export function Transactional(options: TxOptions = {}): MethodDecorator {
  return (_target, _key, descriptor: PropertyDescriptor) => {
    const original = descriptor.value as (...a: unknown[]) => Promise<unknown>;
    descriptor.value = function (this: object, ...a: unknown[]) {
      // The host injected into this instance, if any (so each app uses its own database);
      // otherwise the newest live host.
      const own = Object.values(this).find((v): v is TransactionHost => v instanceof TransactionHost);
      const host = own ?? hosts[hosts.length - 1];
      if (!host) throw new Error('@Transactional() used before the TransactionHost was created');
      return host.withTransaction(options, () => original.apply(this, a));
    };
    Object.defineProperty(descriptor.value, 'name', { value: original.name });
    return descriptor;
  };
}

/** Runs the deferred flushes in registration order; a flush may defer more work (run too). */
async function flushBeforeCommit(scope: TransactionScope): Promise<void> {
  while (scope.beforeCommit && scope.beforeCommit.size > 0) {
    const [owner, entry] = scope.beforeCommit.entries().next().value!;
    scope.beforeCommit.delete(owner);
    await entry.flush(entry.state);
  }
}

/**
 * One prepared-statement name per distinct SQL text. The texts come from `sql` template literals,
 * so there are as many as there are call sites (a few dozen), each prepared at most once per
 * pooled connection. PostgreSQL plans such a statement generically after five runs; the plans
 * of these statements are checked generically in bench/results/query-plans.md.
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

/** Inject this to reach the database (`this.db.tx.<model>…`). */
export type Db = TransactionHost;
export { TransactionHost as DbHost };
