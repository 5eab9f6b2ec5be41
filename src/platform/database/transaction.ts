import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { clearLogs as clearPrismaDebugHistory } from '@prisma/debug';
import type { Prisma } from './generated/client.js';
import { PrismaService } from './prisma.service.js';

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
const storage = new AsyncLocalStorage<{ tx: TxClient }>();
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
    return storage.getStore() !== undefined;
  }

  withTransaction<R>(fn: () => Promise<R>): Promise<R>;
  withTransaction<R>(options: TxOptions, fn: () => Promise<R>): Promise<R>;
  withTransaction<R>(propagation: Propagation, fn: () => Promise<R>): Promise<R>;
  withTransaction<R>(propagation: Propagation, options: TxOptions, fn: () => Promise<R>): Promise<R>;
  withTransaction<R>(...args: unknown[]): Promise<R> {
    const fn = args.pop() as () => Promise<R>;
    const propagation = typeof args[0] === 'string' ? (args.shift() as Propagation) : Propagation.Required;
    const options = (args[0] as TxOptions | undefined) ?? {};
    if (propagation === Propagation.Required && storage.getStore()) return fn();
    return this.prisma
      .$transaction((tx) => storage.run({ tx }, fn), { ...DEFAULTS, ...options })
      .finally(clearPrismaDebugHistory);
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

/** Inject this to reach the database (`this.db.tx.<model>…`). */
export type Db = TransactionHost;
export { TransactionHost as DbHost };
