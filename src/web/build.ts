/**
 * `npm run build:web`: bundles the front ends in src/web into dist/web with esbuild, for the
 * service to serve (src/platform/web):
 *   dist/web/referrals.js  <circletel-referrals>, one ES module (Lit and uqr inside, nothing fetched)
 *   dist/web/demo.html     the development demo page (GET /widget/demo, not in production)
 *   dist/web/demo.js       its sign-in script
 *   dist/web/console.html  the admin console's page (GET /admin and every path under it)
 *   dist/web/console.js    the admin console, one ES module (Lit and oidc-client-ts inside)
 * `npm start` and `npm run build` run it (prestart / postbuild: `nest build` empties dist/ first).
 */
import { build, type Metafile } from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const WEB_SRC = path.dirname(fileURLToPath(import.meta.url));
export const WEB_OUT = path.resolve(WEB_SRC, '../../dist/web');

export interface WebBuild {
  outDir: string;
  /** Output files (relative to outDir) and their sizes in bytes. */
  files: Record<string, number>;
  metafile: Metafile;
}

export async function buildWeb(outDir = WEB_OUT): Promise<WebBuild> {
  await mkdir(outDir, { recursive: true });
  const result = await build({
    entryPoints: {
      referrals: path.join(WEB_SRC, 'widget/circletel-referrals.ts'),
      demo: path.join(WEB_SRC, 'demo/demo.ts'),
      console: path.join(WEB_SRC, 'console/admin-console.ts'),
    },
    outdir: outDir,
    bundle: true,
    format: 'esm',
    // Browsers of the last few years (custom elements, shadow DOM, container queries).
    target: ['es2022', 'chrome105', 'safari16', 'firefox110'],
    minify: true,
    charset: 'utf8',
    // Lit's licence notices, gathered at the end of the file.
    legalComments: 'eof',
    tsconfig: path.join(WEB_SRC, 'tsconfig.json'),
    metafile: true,
    logLevel: 'warning',
  });
  await copyFile(path.join(WEB_SRC, 'demo/demo.html'), path.join(outDir, 'demo.html'));
  await copyFile(path.join(WEB_SRC, 'console/console.html'), path.join(outDir, 'console.html'));
  const files: Record<string, number> = {};
  for (const [file, out] of Object.entries(result.metafile.outputs)) {
    files[path.relative(outDir, path.resolve(file))] = out.bytes;
  }
  return { outDir, files, metafile: result.metafile };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const started = Date.now();
  const out = await buildWeb();
  const list = Object.entries(out.files)
    .map(([f, b]) => `${f} ${(b / 1024).toFixed(1)} KB`)
    .join(', ');
  process.stdout.write(
    `build:web → ${path.relative(process.cwd(), out.outDir)}: ${list} (${Date.now() - started} ms)\n`,
  );
}
