import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** What the build reads; the Prisma client is generated from prisma/ (and by `npm test` itself). */
const INPUTS = ['src', 'libs', 'prisma', 'package-lock.json', 'tsconfig.json', 'nest-cli.json'];
const SKIP = new Set([path.join(ROOT, 'src/platform/database/generated'), path.join(ROOT, 'src/web/screenshots')]);
const STAMP = path.join(ROOT, 'dist', '.build-inputs');
const OUTPUTS = [
  path.join(ROOT, 'dist/src/main.js'),
  path.join(ROOT, 'dist/web/referrals.js'),
  path.join(ROOT, 'dist/web/console.js'),
];

async function files(p: string): Promise<string[]> {
  if (SKIP.has(p)) return [];
  const s = await stat(p).catch(() => undefined);
  if (!s) return [];
  if (!s.isDirectory()) return [p];
  const entries = (await readdir(p)).sort();
  return (await Promise.all(entries.map((e) => files(path.join(p, e))))).flat();
}

/** A digest of every build input (paths and contents). */
async function inputsDigest(): Promise<string> {
  const hash = createHash('sha256');
  for (const input of INPUTS) {
    for (const file of await files(path.join(ROOT, input))) {
      hash
        .update(path.relative(ROOT, file))
        .update('\0')
        .update(await readFile(file))
        .update('\0');
    }
  }
  return hash.digest('hex');
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited ${code}:\n${out}`)),
    );
  });
}

/**
 * The production build in dist/ (`nest build` + `npm run build:web`, as `npm run build` makes
 * it), built now unless dist/ already holds the build of exactly these sources. Test files that
 * run the compiled service call it in beforeAll; a lock keeps two of them from building at once.
 * The Prisma client is not regenerated here (`npm test` did it before any test started, and
 * regenerating it under running tests would pull files from under them).
 */
export async function ensureServiceBuilt(): Promise<void> {
  const lock = path.join(
    os.tmpdir(),
    `circletel-build-${createHash('sha256').update(ROOT).digest('hex').slice(0, 12)}`,
  );
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch {
      const age = Date.now() - ((await stat(lock).catch(() => undefined))?.mtimeMs ?? Date.now());
      if (age > 300_000) await rm(lock, { recursive: true, force: true }); // left by a killed run
      if (Date.now() > deadline) throw new Error(`waited 5 minutes for another build (${lock})`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    const digest = await inputsDigest();
    const built =
      (await readFile(STAMP, 'utf8').catch(() => '')) === digest &&
      (
        await Promise.all(
          OUTPUTS.map((f) =>
            stat(f).then(
              () => true,
              () => false,
            ),
          ),
        )
      ).every(Boolean);
    if (built) return;
    await run(process.execPath, [path.join(ROOT, 'node_modules/@nestjs/cli/bin/nest.js'), 'build']);
    await run(process.execPath, ['--import', '@swc-node/register/esm-register', 'src/web/build.ts']);
    await writeFile(STAMP, digest);
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}
