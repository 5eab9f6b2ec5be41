// Generates the Prisma client (src/platform/database/generated) without network access — only
// when it is missing or out of date: a hash of what it is generated from (the schema, the
// config, the installed Prisma version) is kept next to it, so `npm start` does not pay ~4 s
// for `prisma generate` on every start. `--force` generates anyway; `--quiet` hides Prisma's output.
//
// `prisma generate` only needs the schema; the CLI's engine check wants a schema-engine binary,
// which cannot be downloaded here, so point it at an existing file when none is configured.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const generated = path.join(root, 'src/platform/database/generated');
const stampFile = path.join(generated, '.inputs.sha256');

function inputsHash() {
  const hash = createHash('sha256');
  for (const file of ['prisma/schema.prisma', 'prisma/prisma.config.ts']) {
    hash.update(file).update(readFileSync(path.join(root, file)));
  }
  for (const pkg of ['prisma/package.json', '@prisma/client/package.json']) {
    const manifest = createRequire(path.join(root, 'package.json')).resolve(pkg);
    hash.update(pkg).update(JSON.parse(readFileSync(manifest, 'utf8')).version);
  }
  return hash.digest('hex');
}

const wanted = inputsHash();
const upToDate =
  !process.argv.includes('--force') &&
  existsSync(path.join(generated, 'client.ts')) &&
  existsSync(stampFile) &&
  readFileSync(stampFile, 'utf8').trim() === wanted;
if (upToDate) process.exit(0);

const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= fileURLToPath(new URL('./schema.prisma', import.meta.url));
env.PRISMA_HIDE_UPDATE_MESSAGE = '1';
const result = spawnSync('npx', ['prisma', 'generate', '--config', 'prisma/prisma.config.ts'], {
  cwd: root,
  env,
  stdio: process.argv.includes('--quiet') ? ['ignore', 'ignore', 'inherit'] : 'inherit',
});
if (result.status === 0) writeFileSync(stampFile, `${wanted}\n`);
process.exit(result.status ?? 1);
