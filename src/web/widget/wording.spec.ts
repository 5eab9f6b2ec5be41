import type { PendingReward } from './types.js';
import { emailHref, expectedCreditText, nextStepText, statusLabel, statusReasonText, whatsAppHref } from './wording.js';

const reward = (over: Partial<PendingReward>): PendingReward => ({
  id: 'r1',
  rewardType: 'free_month',
  status: 'pending',
  earnedAt: '2026-02-10T22:00:00.000Z',
  expiresAt: '2027-02-10T22:00:00.000Z',
  manuallyGranted: false,
  ...over,
});

describe('what the widget says', () => {
  it('says what happens next for each kind of next step, with the date the API gave', () => {
    expect(nextStepText({ kind: 'activate_by', on: '2026-03-12' })).toBe(
      'Your friend must be connected by 12 March 2026',
    );
    expect(nextStepText({ kind: 'qualifies_on', on: '2026-02-11' })).toBe(
      'Counts towards your reward on 11 February 2026 if their service stays active',
    );
    expect(nextStepText({ kind: 'under_review', on: null })).toBe('Being checked by our team');
    expect(nextStepText({ kind: 'waiting_for_pair', on: null })).toBe(
      'Counts towards your reward: waiting for a second friend',
    );
    expect(nextStepText({ kind: null, on: null })).toBeUndefined();
    expect(nextStepText(null)).toBeUndefined();
    expect(nextStepText(undefined)).toBeUndefined();
  });

  it('explains a terminal state in customer-safe words, and says nothing of a reason it does not know', () => {
    expect(statusReasonText('not_activated_in_time')).toBe('Your friend was not connected in time');
    expect(statusReasonText('service_interrupted')).toMatch(/paused or cancelled before it counted/);
    expect(statusReasonText('already_referred')).toBe('This friend had already been referred');
    expect(statusReasonText('not_eligible')).toMatch(/not eligible/);
    expect(statusReasonText('rejected_on_review')).toMatch(/Not approved/);
    expect(statusReasonText('SELF_REFERRAL')).toBeUndefined();
    expect(statusReasonText(null)).toBeUndefined();
  });

  it('labels every referral state, and shows an unknown one as it came', () => {
    expect(
      ['pending', 'active', 'qualified', 'rewarded', 'expired', 'cancelled', 'flagged', 'rejected'].map(statusLabel),
    ).toEqual([
      'Signed up',
      'Connected',
      'Qualified',
      'Rewarded',
      'Expired',
      'Cancelled',
      'Being checked',
      'Not eligible',
    ]);
    expect(statusLabel('paused')).toBe('paused');
  });

  it('words the expected credit with the amount, period and date the API computed', () => {
    const credit = {
      serviceId: 'svc_1',
      periodStart: '2026-03-01',
      periodEnd: '2026-03-31',
      amount: '799.00',
      appliesOn: '2026-03-01',
    };
    expect(expectedCreditText(reward({ expectedCredit: credit }))).toBe(
      'Expected: R799.00 off your bill for 1–31 March 2026, applied on 1 March 2026',
    );
    expect(expectedCreditText(reward({ expectedCredit: null, reason: 'no_active_service' }))).toMatch(
      /once you have an active service/,
    );
    expect(expectedCreditText(reward({ expectedCredit: null, reason: 'rewards_paused' }))).toMatch(/paused/);
    expect(expectedCreditText(reward({}))).toBeUndefined();
  });

  it('puts the link and the code in the WhatsApp and e-mail messages', () => {
    const link = 'https://www.circletel.co.za/?ref=CT-REF-7K3M9QXZ';
    const wa = new URL(whatsAppHref(link, 'CT-REF-7K3M9QXZ'));
    expect(wa.origin + wa.pathname).toBe('https://wa.me/');
    expect(wa.searchParams.get('text')).toContain(link);
    const mail = emailHref(link, 'CT-REF-7K3M9QXZ');
    expect(mail.startsWith('mailto:?subject=')).toBe(true);
    expect(decodeURIComponent(mail.split('&body=')[1]!)).toContain('CT-REF-7K3M9QXZ');
  });
});
