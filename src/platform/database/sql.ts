import { AsyncLocalStorage } from 'node:async_hooks';
import { PrismaPg } from '@prisma/adapter-pg';
import type pg from 'pg';
import type { Prisma } from './generated/client.js';

/**
 * Plain SQL on the connection of the current transaction, without Prisma's query engine.
 *
 * Why: on the hottest write path (an inbound signup attributed and screened, ~12 statements in
 * one transaction) Prisma's client and its wasm query compiler took about a third of the
 * service's CPU, even for `$queryRaw` (profile in bench/README.md). node-postgres itself is a
 * few percent. `TransactionHost.sql` / `.exec` send a statement straight to the pg connection
 * that Prisma's interactive transaction holds, so Prisma calls and plain SQL in one
 * `@Transactional()` method still share one transaction, in order.
 *
 * How the connection is found: `CapturingPrismaPg` is the Prisma driver adapter with one
 * addition — when Prisma opens an interactive transaction it hands the transaction's pg client
 * to the scope of the `withTransaction` call that asked for it (AsyncLocalStorage; Prisma opens
 * the transaction inside that call's async context). Outside a transaction the pool is used.
 */
export interface TransactionScope {
  /** The Prisma client of the transaction (set once Prisma has opened it). */
  tx?: Prisma.TransactionClient;
  /** The pg connection Prisma's transaction runs on (set by CapturingPrismaPg). */
  connection?: pg.PoolClient;
  /** Work deferred to just before COMMIT, by owner (TransactionHost.deferUntilCommit). */
  beforeCommit?: Map<object, { state: unknown; flush: (state: unknown) => Promise<void> }>;
}

export const transactionScope = new AsyncLocalStorage<TransactionScope>();

/** A statement and its parameters ($1, $2, … in order). */
export class SqlStatement {
  constructor(
    readonly text: string,
    readonly values: unknown[],
  ) {}
}

/**
 * sql`SELECT … WHERE id = ${id}` → { text: 'SELECT … WHERE id = $1', values: [id] }. Values are
 * always bound as parameters, never spliced into the text (same rule as Prisma's `$queryRaw`).
 * A value that is itself a `sql` fragment is inlined, its parameters renumbered (as with
 * `Prisma.sql`), so optional conditions compose. node-postgres serialises values: Date →
 * timestamptz, arrays → PostgreSQL arrays, objects → JSON.
 */
export function sql(strings: TemplateStringsArray | readonly string[], ...values: unknown[]): SqlStatement {
  let text = strings[0]!;
  const bound: unknown[] = [];
  for (let i = 1; i < strings.length; i++) {
    const value = values[i - 1];
    if (value instanceof SqlStatement) {
      const offset = bound.length;
      text += value.text.replace(/\$(\d+)/g, (_m, n: string) => `$${Number(n) + offset}`);
      bound.push(...value.values);
    } else {
      bound.push(value);
      text += `$${bound.length}`;
    }
    text += strings[i];
  }
  return new SqlStatement(text, bound);
}

/** Fragments joined by a separator (e.g. conditions by ' AND '). */
export function joinSql(fragments: SqlStatement[], separator: string): SqlStatement {
  if (fragments.length === 0) return new SqlStatement('', []);
  return sql(['', ...fragments.slice(1).map(() => separator), ''], ...fragments);
}

/** The Prisma pg adapter, handing each interactive transaction's connection to its scope. */
export class CapturingPrismaPg extends PrismaPg {
  override async connect(): ReturnType<PrismaPg['connect']> {
    const adapter = await super.connect();
    const startTransaction = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel) => {
      const transaction = await startTransaction(isolationLevel);
      const scope = transactionScope.getStore();
      // PgTransaction keeps its pool client as `client` (@prisma/adapter-pg 7).
      const connection = (transaction as unknown as { client?: pg.PoolClient }).client;
      if (scope && !scope.tx && connection) scope.connection = connection;
      return transaction;
    };
    return adapter;
  }
}
