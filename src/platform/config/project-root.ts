import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'circletel-referrals';
let cached: string | undefined;

/**
 * The folder holding this service's package.json, found from this file's own location
 * (src/platform/config/ when run from source, dist/src/platform/config/ when compiled) — not
 * from the working directory, so `node /srv/referrals/dist/src/main.js` started anywhere finds
 * the same `.data/` as `npm start` in the project. Falls back to the working directory when the
 * file is not inside the package (e.g. bundled elsewhere).
 */
export function projectRoot(): string {
  if (cached) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === PACKAGE_NAME) {
          return (cached = dir);
        }
      } catch {
        // not ours (or unreadable): keep walking up
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return (cached = process.cwd());
    dir = parent;
  }
}
