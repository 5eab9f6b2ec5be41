// Generates the Prisma client (src/platform/database/generated) without network access.
// `prisma generate` only needs the schema; the CLI's engine check wants a schema-engine binary,
// which cannot be downloaded here, so point it at an existing file when none is configured.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= fileURLToPath(new URL('./schema.prisma', import.meta.url));
env.PRISMA_HIDE_UPDATE_MESSAGE = '1';
const result = spawnSync('npx', ['prisma', 'generate', '--config', 'prisma/prisma.config.ts'], {
  env,
  stdio: process.argv.includes('--quiet') ? ['ignore', 'ignore', 'inherit'] : 'inherit',
});
process.exit(result.status ?? 1);
