import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** A built front-end file, ready to send: its bytes, gzipped bytes and a strong ETag. */
export interface WebAsset {
  body: Buffer;
  gzipped: Buffer;
  etag: string;
}

/**
 * The project root: the nearest folder above this file with a package.json. From the sources
 * (src/platform/web) and from the build (dist/src/platform/web) alike it is the checkout.
 */
function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('no package.json above the service: cannot find dist/web');
    dir = parent;
  }
  return dir;
}

/** Where `npm run build:web` writes the widget (src/web/build.ts). */
export const WEB_DIST_DIR = path.join(projectRoot(), 'dist', 'web');

/**
 * Reads built files from dist/web. In production each file is read once and kept; elsewhere it
 * is read again whenever it changed on disk, so `npm run build:web` shows up without a restart.
 * A file that is not built is `undefined`.
 */
export class WebAssets {
  private readonly cache = new Map<string, { mtimeMs: number; asset: WebAsset }>();

  constructor(
    /** Production: read once, and let clients cache; elsewhere re-read on change, clients revalidate. */
    readonly production: boolean,
    private readonly dir = WEB_DIST_DIR,
  ) {}

  get(name: string): WebAsset | undefined {
    const cached = this.cache.get(name);
    if (cached && this.production) return cached.asset;
    const file = path.join(this.dir, name);
    let mtimeMs: number;
    try {
      mtimeMs = statSync(file).mtimeMs;
    } catch {
      this.cache.delete(name);
      return undefined;
    }
    if (cached && cached.mtimeMs === mtimeMs) return cached.asset;
    const body = readFileSync(file);
    const asset: WebAsset = {
      body,
      gzipped: gzipSync(body, { level: 9 }),
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
    };
    this.cache.set(name, { mtimeMs, asset });
    return asset;
  }
}
