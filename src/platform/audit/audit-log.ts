import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '#libs/ddd/index.js';
import { Db } from '../database/db.js';
import { PrismaService } from '../database/prisma.service.js';
import { sql } from '../database/sql.js';
import { decodeCursor, encodeCursor } from './audit-log.cursor.js';
import { v7 as uuidv7 } from 'uuid';

export interface AuditEntryInput {
  /** Who did it: the admin's JWT `sub`. */
  actor: string;
  /** What was done, dotted, e.g. `reward.granted`, `referral.approved`, `reconciliation.run_started`. */
  action: string;
  /** The customer it concerns (billing id). */
  customerId: string;
  /** The thing acted on (reward id, referral id, run id, …). */
  subjectId: string;
  reason?: string | null;
  /** State before and after, JSON-serialisable (bigint becomes a string). */
  before?: unknown;
  after?: unknown;
}

export interface AuditEntry {
  id: string;
  at: Date;
  actor: string;
  action: string;
  subjectId: string;
  reason: string | null;
  before: unknown;
  after: unknown;
}

export interface AuditPage {
  items: AuditEntry[];
  nextCursor: string | null;
}

/**
 * The append-only audit log of admin actions (table `audit_log`; the database refuses UPDATE,
 * DELETE and TRUNCATE). `append` writes through the current transaction, so an entry exists
 * if and only if the change it describes commits: call it from the command handler, in the
 * same @Transactional() as the change. A refused request changes nothing and leaves no entry.
 */
@Injectable()
export class AuditLog {
  constructor(
    @Inject(Db) private readonly db: Db,
    @Inject(PrismaService) private readonly prisma: PrismaService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async append(entry: AuditEntryInput): Promise<string> {
    const id = uuidv7();
    const at = this.clock.now();
    await this.db.execute(sql`
      INSERT INTO audit_log (id, at, actor, action, customer_id, subject_id, reason, before, after)
      VALUES (${id}::uuid, ${at}::timestamptz, ${entry.actor}, ${entry.action}, ${entry.customerId},
              ${entry.subjectId}, ${entry.reason ?? null}, ${toJsonText(entry.before)}::jsonb,
              ${toJsonText(entry.after)}::jsonb)`);
    return id;
  }

  /** Newest first, keyset-paginated on (at desc, id desc). */
  async list(customerId: string, opts: { limit?: number; cursor?: string } = {}): Promise<AuditPage> {
    const limit = opts.limit ?? 20;
    const after = opts.cursor ? decodeCursor(opts.cursor) : undefined;
    // A back-office read: Prisma Client, outside any transaction (README "One way to the database").
    const rows = await this.prisma.auditLogEntry.findMany({
      where: {
        customerId,
        ...(after ? { OR: [{ at: { lt: after.at } }, { at: after.at, id: { lt: after.id } }] } : {}),
      },
      orderBy: [{ at: 'desc' }, { id: 'desc' }],
      take: limit + 1,
      select: {
        id: true,
        at: true,
        actor: true,
        action: true,
        subjectId: true,
        reason: true,
        before: true,
        after: true,
      },
    });
    const items = rows.slice(0, limit).map((r) => ({ ...r, at: new Date(r.at) }));
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
  }
}

function toJsonText(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}
