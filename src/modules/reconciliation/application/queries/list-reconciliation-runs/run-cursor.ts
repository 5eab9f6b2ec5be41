import { decodeKeysetCursor, encodeKeysetCursor, InvalidCursor } from '../../../../../platform/http/keyset-cursor.js';
import type { RunPosition } from '../../ports/reconciliation-run.read-model.js';

/** The runs list (newest first) pages on (startedAt, id) with the shared keyset cursor. */
export { InvalidCursor as InvalidRunCursor };

export function encodeRunCursor(position: RunPosition): string {
  return encodeKeysetCursor({ at: position.startedAt, id: position.id });
}

export function decodeRunCursor(cursor: string): RunPosition {
  const { at, id } = decodeKeysetCursor(cursor);
  return { startedAt: at, id };
}
