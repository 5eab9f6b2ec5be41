import pg from 'pg';

/** Injection token of the process's one node-postgres pool (every statement goes through it). */
export const PG_POOL = Symbol('PG_POOL');

const OID = { int8: 20, date: 1082, int8Array: 1016 } as const;

/**
 * How column types arrive in TypeScript, for every statement of the service (one set of rules,
 * so a value has one type whichever query read it):
 * - int8 (bigint: money in cents, sequences) → `bigint`, never a lossy number or a string
 *   (cast counts to `::int` in SQL when a number is wanted);
 * - date (business dates) → the `YYYY-MM-DD` string itself, never a Date at some local midnight;
 * - timestamptz → Date, numeric → string, json/jsonb → parsed (node-postgres's defaults).
 */
export const pgTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === OID.int8) return (v: string) => BigInt(v);
    if (oid === OID.date) return (v: string) => v;
    if (oid === OID.int8Array)
      return (v: string) => (pg.types.getTypeParser(OID.int8Array as never) as (s: string) => string[])(v).map(BigInt);
    return pg.types.getTypeParser(oid, format);
  }) as pg.CustomTypesConfig['getTypeParser'],
};

export function createPool(options: { url: string; max: number; applicationName?: string }): pg.Pool {
  return new pg.Pool({
    connectionString: options.url,
    max: options.max,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    application_name: options.applicationName ?? 'circletel-referrals',
    types: pgTypes,
  });
}
