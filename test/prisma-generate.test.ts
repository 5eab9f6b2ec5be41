import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './support/process.js';

/**
 * `npm start` runs prisma/generate.mjs first; it generates the client only when the schema, the
 * Prisma config or Prisma's version changed since the last generation. `npm test` has just
 * generated it, so here it must do nothing (no `prisma generate`, which prints what it loaded).
 */
it('prisma/generate.mjs leaves an up-to-date client alone', () => {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'prisma/generate.mjs')], { cwd: ROOT, encoding: 'utf8' });
  expect([result.status, result.stdout + result.stderr]).toEqual([0, '']);
});
