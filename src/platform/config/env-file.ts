import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';

/**
 * Reads `.env` from the working directory into the environment, as every entry point does first
 * (the service and each CLI: dev-token, send-event, reconcile, demo), with Node's own parser
 * (`util.parseEnv`, the one behind `node --env-file`). Variables already set in the environment
 * win over the file. Not read when NODE_ENV=test, so a developer's `.env` never leaks into the
 * test suite. Returns the file it read, if any.
 */
export function loadDotEnv(file = '.env', env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.NODE_ENV === 'test') return undefined;
  const full = path.resolve(file);
  if (!existsSync(full)) return undefined;
  for (const [key, value] of Object.entries(parseEnv(readFileSync(full, 'utf8')))) {
    if (env[key] === undefined) env[key] = value;
  }
  return full;
}
