import Type, { type Static } from 'typebox';
import { REFERRAL_STATUSES } from '#libs/contracts/referrals.js';
import { defineEvent } from '#libs/ddd/index.js';

/** What the Referrals context announces (SPEC §9). Catalogue: libs/ddd/events.ts. */

/** The public states of SPEC §4 (the Referrals context's published language). */
const ReferralStatus = Type.Enum(REFERRAL_STATUSES);
const Timestamp = Type.String({ format: 'date-time' });

const ReferralAttributedSchema = Type.Object(
  {
    referralId: Type.String({ format: 'uuid' }),
    referrerId: Type.String({ description: 'billing customer id of the code owner' }),
    referredId: Type.String({ description: 'billing customer id of the new customer' }),
    referredFirstName: Type.String({ description: "the friend's first name only (POPIA)" }),
    referredAt: Timestamp,
    status: ReferralStatus,
    source: Type.Union([
      Type.Literal('url_param'),
      Type.Literal('manual_entry'),
      Type.Literal('admin_override'),
      Type.Null(),
    ]),
  },
  { additionalProperties: false },
);

const ReferralFlaggedSchema = Type.Object(
  {
    referralId: Type.String({ format: 'uuid' }),
    referrerId: Type.String(),
    referredId: Type.String(),
    referredAt: Timestamp,
    findings: Type.Array(
      Type.Object(
        {
          rule: Type.String(),
          outcome: Type.Union([Type.Literal('reject'), Type.Literal('flag')]),
          detail: Type.String(),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

const ReferralQualifiedSchema = Type.Object(
  {
    referralId: Type.String({ format: 'uuid' }),
    referrerId: Type.String(),
    referredId: Type.String(),
    referredFirstName: Type.String({ description: "the friend's first name only (POPIA)" }),
    qualifiedAt: Timestamp,
    progress: Type.Object(
      {
        qualified: Type.Integer({ minimum: 0, description: 'qualified referrals not yet consumed by a reward' }),
        required: Type.Integer({ minimum: 1 }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export type ReferralAttributed = Static<typeof ReferralAttributedSchema>;
export type ReferralFlagged = Static<typeof ReferralFlaggedSchema>;
export type ReferralQualified = Static<typeof ReferralQualifiedSchema>;

declare module '#libs/ddd/events.js' {
  interface EventCatalogue {
    'referral.attributed': ReferralAttributed;
    'referral.flagged': ReferralFlagged;
    'referral.qualified': ReferralQualified;
  }
}

export const referralAttributed = defineEvent('referral.attributed', {
  version: 1,
  summary: 'A new customer signed up with a referral code and was screened (status says how).',
  schema: ReferralAttributedSchema,
});
export const referralFlagged = defineEvent('referral.flagged', {
  version: 1,
  summary: 'A fraud rule wants a human to review the referral.',
  schema: ReferralFlaggedSchema,
});
export const referralQualified = defineEvent('referral.qualified', {
  version: 1,
  summary: "The friend's service stayed active for 30 days: the referral counts towards a reward.",
  schema: ReferralQualifiedSchema,
});
