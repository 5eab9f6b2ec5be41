/**
 * The customer widget's weight on the wire (SPEC §13: under 60 KB gzipped).
 *
 *   npm run bench:widget    (node --import @swc-node/register/esm-register bench/widget-size.ts)
 *
 * Builds src/web exactly as `npm run build:web` does (into a scratch folder, dist/ untouched),
 * gzips /widget/referrals.js the way the service sends it (level 9, src/platform/web/web-assets.ts)
 * and prints its size, the budget and the biggest contributors (esbuild's metafile). Writes
 * bench/results/widget-size.json; exits 1 when over budget.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildWeb } from '../src/web/build.js';

const BUDGET_GZIP_BYTES = 60 * 1024;
const RESULTS = path.resolve('bench/results/widget-size.json');
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

async function main(): Promise<number> {
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'circletel-widget-size-'));
  try {
    const started = Date.now();
    const { metafile } = await buildWeb(scratch);
    const buildMs = Date.now() - started;
    const body = await readFile(path.join(scratch, 'referrals.js'));
    const gzipBytes = gzipSync(body, { level: 9 }).length;

    // Which sources the bytes come from, by package (or "widget" for src/web).
    const output = Object.entries(metafile.outputs).find(([file]) => file.endsWith('referrals.js'))![1];
    const byOrigin = new Map<string, number>();
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? 'widget (src/web)';
      byOrigin.set(pkg, (byOrigin.get(pkg) ?? 0) + bytesInOutput);
    }
    const contributors = [...byOrigin]
      .sort((a, b) => b[1] - a[1])
      .map(([origin, bytes]) => ({ origin, minifiedBytes: bytes }));

    const result = {
      date: new Date().toISOString(),
      node: process.version,
      command: 'npm run bench:widget',
      file: '/widget/referrals.js',
      minifiedBytes: body.length,
      gzipBytes,
      budgetGzipBytes: BUDGET_GZIP_BYTES,
      withinBudget: gzipBytes <= BUDGET_GZIP_BYTES,
      buildMs,
      contributors,
    };
    await mkdir(path.dirname(RESULTS), { recursive: true });
    await writeFile(RESULTS, `${JSON.stringify(result, null, 2)}\n`);

    process.stdout.write(
      [
        `/widget/referrals.js: ${kb(body.length)} minified, ${kb(gzipBytes)} gzipped (budget ${kb(BUDGET_GZIP_BYTES)}: ${
          result.withinBudget ? 'within' : 'OVER'
        }), built in ${buildMs} ms`,
        ...contributors.map((c) => `  ${c.origin.padEnd(24)} ${kb(c.minifiedBytes).padStart(9)} minified`),
        `→ ${path.relative(process.cwd(), RESULTS)}`,
        '',
      ].join('\n'),
    );
    return result.withinBudget ? 0 : 1;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench:widget failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
