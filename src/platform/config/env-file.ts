import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * Reads `.env` from the working directory into process.env, as every entry point does first
 * (the service and each CLI: dev-token, send-event, reconcile, demo), with Node's own parser
 * (`process.loadEnvFile`). Variables already set in the environment win over the file.
 * Not read when NODE_ENV=test, so a developer's `.env` never leaks into the test suite.
 * Returns the file it read, if any.
 */
export function loadDotEnv(file = '.env'): string | undefined {
  if (process.env.NODE_ENV === 'test') return undefined;
  const full = path.resolve(file);
  if (!existsSync(full)) return undefined;
  process.loadEnvFile(full);
  return full;
}
