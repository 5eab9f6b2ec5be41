import Type, { type Static } from 'typebox';
import { defineEvent } from '#libs/ddd/index.js';

/** What the Fraud context announces (SPEC §9). Catalogue: libs/ddd/events.ts. */

const FraudAlertSchema = Type.Object(
  {
    referrerId: Type.String(),
    referralId: Type.String({ format: 'uuid' }),
    rule: Type.Literal('BURST'),
    count: Type.Integer({ minimum: 1, description: "the referrer's attributions in the window, this one included" }),
    windowHours: Type.Integer(),
    referredAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);

export type FraudAlert = Static<typeof FraudAlertSchema>;

declare module '#libs/ddd/events.js' {
  interface EventCatalogue {
    'fraud.alert': FraudAlert;
  }
}

export const fraudAlert = defineEvent('fraud.alert', {
  version: 1,
  summary: "A referrer's 6th or later referral within 24 hours (BURST): fraud staff are alerted.",
  schema: FraudAlertSchema,
});
