/** Keyset position in the audit log (newest first): the last entry of the page served. */
export {
  InvalidCursor,
  decodeKeysetCursor as decodeCursor,
  encodeKeysetCursor as encodeCursor,
  type KeysetPosition as AuditLogPosition,
} from '../http/keyset-cursor.js';
