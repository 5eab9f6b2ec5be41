/** Port: what the application needs of CreditNoteRepository (implemented in infrastructure/credit-note.repository.ts, bound in the module). */
import type { BusinessDate } from '#libs/ddd/index.js';
import type { CreditNote } from '../../domain/credit-note.js';

/**
 * Credit notes (`credit_notes`, append-only) and their gapless numbering
 * (`credit_note_sequences`, one row per SAST year, locked by the issuing transaction).
 */
export abstract class CreditNoteRepository {
  abstract findByRewardIds(rewardIds: string[]): Promise<CreditNote[]>;
  /** periodKey()s of the credit notes of these services for cycles starting on or after `from`. */
  abstract usedPeriods(serviceIds: string[], from: BusinessDate): Promise<Set<string>>;
  /**
   * Reserves `count` consecutive numbers of `year` and returns the first. The year's row stays
   * locked until the transaction ends, so concurrent issuers queue and numbers never gap (a
   * rollback gives the block back).
   */
  abstract allocateNumbers(year: number, count: number): Promise<number>;
  abstract insertMany(notes: CreditNote[]): Promise<void>;
}
