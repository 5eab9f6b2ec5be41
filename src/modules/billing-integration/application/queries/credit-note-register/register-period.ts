import { parsePeriod } from '#libs/ddd/index.js';
import { InvalidCursor } from '../../../../../platform/http/keyset-cursor.js';
import type { RegisterPosition } from '../../ports/credit-note-register.js';

/** [from, to] as SAST business dates → the instants [start of from, start of the day after to). */
export function registerPeriod(fromIso: string, toIso: string): { from: Date; to: Date } {
  const { from, to } = parsePeriod(fromIso, toIso);
  return { from: from.startOfDay(), to: to.plusDays(1).startOfDay() };
}

/** The register's cursor: the number of the last note served (CN-YYYY-NNNNN), base64url. */
export function encodeRegisterCursor(p: RegisterPosition): string {
  return Buffer.from(`${p.year}:${p.sequence}`, 'utf8').toString('base64url');
}

/** Throws INVALID_CURSOR (400) for anything encodeRegisterCursor did not produce. */
export function decodeRegisterCursor(cursor: string): RegisterPosition {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(cursor)) throw new InvalidCursor();
  const m = /^(\d{4}):(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw new InvalidCursor();
  return { year: Number(m[1]), sequence: Number(m[2]) };
}
