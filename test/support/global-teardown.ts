import pg from 'pg';

/** Drops what this run created (template, leftover test databases) and stops an embedded server. */
export default async function globalTeardown(): Promise<void> {
  const state = (
    globalThis as {
      __circletelTestDb?: { adminUrl?: string; template?: string; prefix?: string; stop?: () => Promise<void> };
    }
  ).__circletelTestDb;
  if (!state) return;
  try {
    if (state.adminUrl && state.template && state.prefix) {
      const admin = new pg.Client({ connectionString: state.adminUrl });
      await admin.connect();
      try {
        const leftovers = await admin.query<{ datname: string }>(
          `SELECT datname FROM pg_database WHERE starts_with(datname, $1)`,
          [state.prefix],
        );
        for (const { datname } of leftovers.rows) {
          await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(datname)} WITH (FORCE)`);
        }
        const t = admin.escapeIdentifier(state.template);
        await admin.query(`ALTER DATABASE ${t} WITH IS_TEMPLATE false`).catch(() => undefined);
        await admin.query(`DROP DATABASE IF EXISTS ${t} WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    }
  } finally {
    await state.stop?.();
  }
}
