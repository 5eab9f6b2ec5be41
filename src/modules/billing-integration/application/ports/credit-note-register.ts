import type { Readable } from 'node:stream';
import type { CreditNoteView, CreditTotalsByMonth } from '#libs/contracts/index.js';

/** A credit note as the register lists it: the note and the run that issued it. */
export type RegisterEntry = CreditNoteView & { runId: string | null };

/** A position in the register (by number): the last note served. */
export interface RegisterPosition {
  year: number;
  sequence: number;
}

/** Totals of a period, summed in the database: cents as bigint, whatever the number of notes. */
export interface RegisterTotals {
  count: bigint;
  inclVatCents: bigint;
  vatCents: bigint;
  exclVatCents: bigint;
}

/** Port: the credit notes issued in a period [from, to) of instants, by number. */
export abstract class CreditNoteRegister {
  /** At most `limit` notes after `after`, by number (year, sequence). */
  abstract page(from: Date, to: Date, limit: number, after?: RegisterPosition): Promise<RegisterEntry[]>;
  abstract totals(from: Date, to: Date): Promise<RegisterTotals>;
  /** Totals per SAST month of issue. */
  abstract totalsByMonth(from: Date, to: Date): Promise<CreditTotalsByMonth[]>;
  /**
   * Every note of the period, by number, as an object-mode stream of RegisterEntry read from the
   * database in batches (bounded memory whatever the period holds); it gives its connection back
   * when it ends, fails or is destroyed.
   */
  abstract stream(from: Date, to: Date): Readable;
}
