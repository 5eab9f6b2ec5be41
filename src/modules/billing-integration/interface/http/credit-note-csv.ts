import { pipeline, type Readable } from 'node:stream';
import { stringify } from 'csv-stringify';

/** The register's CSV columns, in order (the header row); amounts are rand strings as in JSON. */
export const CREDIT_NOTE_CSV_COLUMNS = [
  'number',
  'issuedAt',
  'customerId',
  'serviceId',
  'rewardId',
  'runId',
  'periodStart',
  'periodEnd',
  'amountInclVat',
  'vatAmount',
  'amountExclVat',
  'vatRate',
] as const;

/**
 * Register entries (an object-mode stream) as RFC 4180 CSV text (csv-stringify): a header row,
 * then one note a line. Backpressure flows through (the source is read only as fast as the
 * response is written), and an error or early end on either side destroys both.
 */
export function creditNotesAsCsv(entries: Readable): Readable {
  const csv = stringify({ header: true, columns: [...CREDIT_NOTE_CSV_COLUMNS] });
  return pipeline(entries, csv, () => undefined);
}
