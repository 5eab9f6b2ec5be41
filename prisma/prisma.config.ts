import { defineConfig } from 'prisma/config';

// Prisma 7 reads the connection string from here (not from schema.prisma).
// `prisma generate` needs no database; `prisma migrate deploy` (where its engine is available)
// uses DATABASE_URL. At runtime the service applies migrations itself: src/platform/database/migrations.
export default defineConfig({
  schema: 'schema.prisma',
  migrations: { path: 'migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres' },
});
