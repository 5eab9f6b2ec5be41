import { Inject, Injectable } from '@nestjs/common';
import { BusinessDate } from '#libs/ddd/index.js';
import { PrismaService } from '../../../platform/database/prisma.service.js';
import type { ReconciliationRun } from '../domain/reconciliation-run.js';
import { fromRow } from './reconciliation-run.repository.js';
import { ReconciliationRunReadModel, type RunPosition } from '../application/ports/reconciliation-run.read-model.js';

/** Back-office reads of run records (Prisma Client, outside any transaction). */
@Injectable()
export class PrismaReconciliationRunReadModel implements ReconciliationRunReadModel {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  /** Newest first (startedAt, then id), keyset-paginated after `after`. */
  async list(limit: number, after?: RunPosition): Promise<ReconciliationRun[]> {
    const rows = await this.prisma.reconciliationRun.findMany({
      where: after
        ? { OR: [{ startedAt: { lt: after.startedAt } }, { startedAt: after.startedAt, id: { lt: after.id } }] }
        : undefined,
      orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
      take: limit,
    });
    return rows.map((r) => fromRow({ ...r, asOf: BusinessDate.fromDbDate(r.asOf).toString() }));
  }
}
