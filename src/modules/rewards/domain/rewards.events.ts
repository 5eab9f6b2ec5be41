import Type, { type Static } from 'typebox';
import { defineEvent } from '#libs/ddd/index.js';

/** What the Rewards context announces (SPEC §9). Catalogue: libs/ddd/events.ts. */

const Timestamp = Type.String({ format: 'date-time' });
const BusinessDate = Type.String({ format: 'date', description: 'SAST calendar date' });
const Rand = Type.String({ pattern: '^\\d+\\.\\d{2}$', description: 'VAT-inclusive rand, two decimals' });

const RewardFields = {
  rewardId: Type.String({ format: 'uuid' }),
  customerId: Type.String({ description: 'the referrer (billing customer id)' }),
  rewardType: Type.Literal('free_month'),
  status: Type.Union([
    Type.Literal('pending'),
    Type.Literal('applied'),
    Type.Literal('expired'),
    Type.Literal('revoked'),
  ]),
  manuallyGranted: Type.Boolean(),
  earnedAt: Timestamp,
  expiresAt: Timestamp,
};

/** The credit note the billing system posts (SPEC §7). */
const CreditNoteSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    number: Type.String({ pattern: '^CN-\\d{4}-\\d{5}$' }),
    customerId: Type.String(),
    serviceId: Type.String(),
    rewardId: Type.String({ format: 'uuid' }),
    periodStart: BusinessDate,
    periodEnd: BusinessDate,
    amountInclVat: Rand,
    vatAmount: Rand,
    amountExclVat: Rand,
    vatRate: Type.String({ pattern: '^\\d+\\.\\d{2}$' }),
    issuedAt: Timestamp,
  },
  { additionalProperties: false },
);

const RewardEarnedSchema = Type.Object(
  { ...RewardFields, referralIds: Type.Array(Type.String({ format: 'uuid' })) },
  { additionalProperties: false },
);
const RewardGrantedSchema = Type.Object({ ...RewardFields, reason: Type.String() }, { additionalProperties: false });
const RewardRevokedSchema = Type.Object(
  { ...RewardFields, revokedAt: Timestamp, reason: Type.String() },
  { additionalProperties: false },
);
const RewardExpiredSchema = Type.Object({ ...RewardFields, expiredAt: Timestamp }, { additionalProperties: false });
const RewardExpiryReminderSchema = Type.Object(
  {
    ...RewardFields,
    remindedOn: BusinessDate,
    daysLeft: Type.Integer({ minimum: 1, description: 'days from remindedOn to the expiry date' }),
  },
  { additionalProperties: false },
);
const RewardAppliedSchema = Type.Object(
  {
    rewardId: Type.String({ format: 'uuid' }),
    customerId: Type.String(),
    appliedAt: Timestamp,
    creditNote: CreditNoteSchema,
  },
  { additionalProperties: false },
);

export type AppliedCreditNote = Static<typeof CreditNoteSchema>;
export type RewardEarned = Static<typeof RewardEarnedSchema>;
export type RewardGranted = Static<typeof RewardGrantedSchema>;
export type RewardRevoked = Static<typeof RewardRevokedSchema>;
export type RewardExpired = Static<typeof RewardExpiredSchema>;
export type RewardApplied = Static<typeof RewardAppliedSchema>;
export type RewardExpiryReminder = Static<typeof RewardExpiryReminderSchema>;

declare module '#libs/ddd/events.js' {
  interface EventCatalogue {
    'reward.earned': RewardEarned;
    'reward.granted': RewardGranted;
    'reward.revoked': RewardRevoked;
    'reward.expired': RewardExpired;
    'reward.applied': RewardApplied;
    'reward.expiry_reminder': RewardExpiryReminder;
  }
}

export const rewardEarned = defineEvent('reward.earned', {
  version: 1,
  summary: 'Two qualified referrals earned the referrer a free month.',
  schema: RewardEarnedSchema,
});
export const rewardGranted = defineEvent('reward.granted', {
  version: 1,
  summary: 'An admin granted a free month by hand.',
  schema: RewardGrantedSchema,
});
export const rewardRevoked = defineEvent('reward.revoked', {
  version: 1,
  summary: 'An admin revoked a pending free month.',
  schema: RewardRevokedSchema,
});
export const rewardExpired = defineEvent('reward.expired', {
  version: 1,
  summary: 'A pending free month was not used within 12 months and expired.',
  schema: RewardExpiredSchema,
});
export const rewardApplied = defineEvent('reward.applied', {
  version: 1,
  summary: 'A free month was applied: the credit note the billing system posts on the recurring bill.',
  schema: RewardAppliedSchema,
});
export const rewardExpiryReminder = defineEvent('reward.expiry_reminder', {
  version: 1,
  summary:
    'A pending free month expires in 30 days or less: the nightly run reminds the customer (once per reward; the notifications e-mail them).',
  schema: RewardExpiryReminderSchema,
});
