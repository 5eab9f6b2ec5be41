import type { Readable } from 'node:stream';
import type { RegisterEntry } from '../../ports/credit-note-register.js';

/**
 * The credit-note register (SPEC §14): notes issued (SAST date of issuedAt) in [from, to], by
 * number, one page. Result: CreditNoteRegisterPage.
 */
export class ListCreditNoteRegister {
  constructor(
    readonly from: string,
    readonly to: string,
    readonly limit: number,
    readonly cursor?: string,
  ) {}
}

/** The same period, every note, as an object-mode stream of RegisterEntry (for the CSV). Result: Readable. */
export class StreamCreditNoteRegister {
  constructor(
    readonly from: string,
    readonly to: string,
  ) {}
}

export interface CreditNoteRegisterPage {
  items: RegisterEntry[];
  nextCursor: string | null;
  /** Of the whole period (not only this page). */
  totals: { count: number; inclVat: string; vat: string; exclVat: string };
}

export type CreditNoteRegisterStream = Readable;
