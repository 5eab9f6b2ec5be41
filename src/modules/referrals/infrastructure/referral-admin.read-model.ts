import { Inject, Injectable } from '@nestjs/common';
import type { ReferralStatus, ReferralView } from '#libs/contracts/index.js';
import type { Referral as ReferralRow } from '../../../platform/database/generated/client.js';
import { PrismaService } from '../../../platform/database/prisma.service.js';
import { decodeCursor, encodeCursor } from '../application/referral-cursor.js';
import { ReferralAdminReadModel, type ReferralListFilter } from '../application/ports/referral-admin.read-model.js';

/** Back-office reads of referrals (Prisma Client, outside any transaction). */
@Injectable()
export class PrismaReferralAdminReadModel implements ReferralAdminReadModel {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  /**
   * One referrer's referrals, newest first, keyset-paginated on (referred_at, id) — served by
   * the (referrer_id, referred_at, id) index, or (referrer_id, status, referred_at, id) with a status.
   */
  async listOfReferrer(
    referrerId: string,
    filter: ReferralListFilter,
  ): Promise<{ items: ReferralView[]; nextCursor: string | null }> {
    const after = filter.cursor ? decodeCursor(filter.cursor) : undefined;
    const rows = await this.prisma.referral.findMany({
      where: {
        referrerId,
        ...(filter.status ? { status: filter.status } : {}),
        AND: [
          filter.q
            ? {
                OR: [
                  { referredName: { contains: filter.q, mode: 'insensitive' } },
                  { referredEmail: { contains: filter.q, mode: 'insensitive' } },
                ],
              }
            : {},
          after
            ? { OR: [{ referredAt: { lt: after.referredAt } }, { referredAt: after.referredAt, id: { lt: after.id } }] }
            : {},
        ],
      },
      orderBy: [{ referredAt: 'desc' }, { id: 'desc' }],
      take: filter.limit + 1,
    });
    const page = rows.slice(0, filter.limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toView),
      nextCursor:
        rows.length > filter.limit && last ? encodeCursor({ referredAt: last.referredAt, id: last.id }) : null,
    };
  }

  async byIds(ids: string[]): Promise<ReferralView[]> {
    const valid = ids.filter((id) => /^[0-9a-f-]{36}$/i.test(id));
    if (valid.length === 0) return [];
    const rows = await this.prisma.referral.findMany({
      where: { id: { in: valid } },
      orderBy: [{ referredAt: 'desc' }, { id: 'desc' }],
    });
    return rows.map(toView);
  }
}

export function toView(row: ReferralRow): ReferralView {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    id: row.id,
    referrerId: row.referrerId,
    referredId: row.referredId,
    referredName: row.referredName,
    referredEmail: row.referredEmail,
    code: row.code,
    source: row.source,
    status: row.status as ReferralStatus,
    lifecycle: row.lifecycle,
    review: row.review as ReferralView['review'],
    serviceId: row.serviceId,
    referredAt: row.referredAt.toISOString(),
    activatedAt: iso(row.activatedAt),
    qualifiedAt: iso(row.qualifiedAt),
    expiredAt: iso(row.expiredAt),
    cancelledAt: iso(row.cancelledAt),
    rejectedAt: iso(row.rejectedAt),
    rewardedAt: iso(row.rewardedAt),
    rewardId: row.rewardId,
  };
}
