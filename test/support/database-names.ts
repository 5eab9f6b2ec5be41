/** Environment variables through which global-setup hands the test server to the workers. */
export const ADMIN_URL_ENV = 'TEST_PG_ADMIN_URL';
export const TEMPLATE_DB_ENV = 'TEST_PG_TEMPLATE_DB';
export const TEST_DB_PREFIX_ENV = 'TEST_PG_DB_PREFIX';

/** The same server URL pointing at another database (credentials, host, port and query kept). */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}
