import { BusinessDate } from '#libs/ddd/index.js';
import {
  expiryMoment,
  lastQualifyingActivatedOn,
  lastStaleReferredOn,
  publicStatus,
  qualificationMoment,
  Referral,
} from './referral.aggregate.js';

// Referred at 10:00 SAST on 10 January 2026: R = 2026-01-10, so R+30 = 2026-02-09.
const REFERRED_AT = new Date('2026-01-10T08:00:00.000Z');

function aReferral(overrides: Partial<Parameters<typeof Referral.attribute>[0]> = {}): Referral {
  return Referral.attribute({
    id: '00000000-0000-4000-8000-000000000001',
    referrerId: 'cus_referrer',
    referredId: 'cus_referred',
    code: 'CT-REF-ABCDEFGH',
    source: 'url_param',
    referredName: 'Thandi Nkosi',
    referredEmail: 'thandi@example.com',
    referredAt: REFERRED_AT,
    ...overrides,
  });
}

const accepted = { outcome: 'accepted' as const, findings: [] };
const flagged = {
  outcome: 'flagged' as const,
  findings: [{ rule: 'SHARED_IP', outcome: 'flag' as const, detail: 'same IP as the referrer' }],
};
const rejected = {
  outcome: 'rejected' as const,
  findings: [{ rule: 'SELF_REFERRAL', outcome: 'reject' as const, detail: 'same email' }],
};

describe('Referral', () => {
  describe('screening after attribution', () => {
    it('an accepted referral stays pending and records referral.attributed with that status', () => {
      const r = aReferral();
      r.screened(accepted);
      expect(r.status).toBe('pending');
      const events = r.pullEvents();
      expect(events.map((e) => e.type)).toEqual(['referral.attributed']);
      expect(events[0]!.data).toMatchObject({ referralId: r.id, status: 'pending', source: 'url_param' });
      expect(events[0]!.occurredAt).toEqual(REFERRED_AT);
    });

    it('a flagged referral shows as flagged, keeps a pending lifecycle and records referral.flagged with the findings', () => {
      const r = aReferral();
      r.screened(flagged);
      expect([r.status, r.lifecycle, r.review]).toEqual(['flagged', 'pending', 'flagged']);
      const events = r.pullEvents();
      expect(events.map((e) => e.type)).toEqual(['referral.attributed', 'referral.flagged']);
      const flaggedEvent = events[1]!;
      if (flaggedEvent.type !== 'referral.flagged') throw new Error('expected referral.flagged');
      expect(flaggedEvent.data.findings).toEqual([
        { rule: 'SHARED_IP', outcome: 'flag', detail: 'same IP as the referrer' },
      ]);
    });

    it('a rejected referral is rejected at its referral time', () => {
      const r = aReferral();
      r.screened(rejected);
      expect(r.status).toBe('rejected');
      expect(r.snapshot().rejectedAt).toEqual(REFERRED_AT);
    });
  });

  describe('activation', () => {
    it('a service activated on R+30 activates the referral', () => {
      const r = aReferral();
      const at = new Date('2026-02-09T12:00:00.000Z');
      expect(r.activate('svc_1', at)).toBe('activated');
      expect(r.status).toBe('active');
      expect(r.snapshot()).toMatchObject({ serviceId: 'svc_1', activatedAt: at });
      expect(r.activatedOn?.toString()).toBe('2026-02-09');
    });

    it('a service activated on R+31 expires the referral at the start of R+31', () => {
      const r = aReferral();
      expect(r.activate('svc_1', new Date('2026-02-10T08:00:00.000Z'))).toBe('expired');
      expect(r.status).toBe('expired');
      expect(r.snapshot().expiredAt).toEqual(new Date('2026-02-09T22:00:00.000Z'));
      expect(r.snapshot().activatedAt).toBeNull();
    });

    it('21:59:59Z on R+30 is still R+30 in SAST, so the referral activates', () => {
      const r = aReferral();
      expect(r.activate('svc_1', new Date('2026-02-09T21:59:59.999Z'))).toBe('activated');
    });

    it('22:00:00Z on R+30 is already R+31 in SAST, so the referral expires', () => {
      const r = aReferral();
      expect(r.activate('svc_1', new Date('2026-02-09T22:00:00.000Z'))).toBe('expired');
    });

    it('R itself is the SAST date of referredAt: a signup at 23:30 SAST counts from that day, not the UTC one', () => {
      // 21:30Z on 9 January is 23:30 SAST on 9 January → R+30 = 8 February.
      const r = aReferral({ referredAt: new Date('2026-01-09T21:30:00.000Z') });
      expect(r.activate('svc_1', new Date('2026-02-08T22:00:00.000Z'))).toBe('expired');
      // 22:30Z on 9 January is 00:30 SAST on 10 January → R+30 = 9 February.
      const s = aReferral({ referredAt: new Date('2026-01-09T22:30:00.000Z') });
      expect(s.activate('svc_1', new Date('2026-02-09T08:00:00.000Z'))).toBe('activated');
    });

    it('a flagged referral can still activate and then shows as flagged', () => {
      const r = aReferral();
      r.screened(flagged);
      expect(r.activate('svc_1', new Date('2026-01-12T08:00:00.000Z'))).toBe('activated');
      expect([r.status, r.lifecycle]).toEqual(['flagged', 'active']);
    });

    it('a rejected referral ignores activation and stays rejected', () => {
      const r = aReferral();
      r.screened(rejected);
      expect(r.activate('svc_1', new Date('2026-01-12T08:00:00.000Z'))).toBe('ignored');
      expect(r.status).toBe('rejected');
      expect(r.snapshot().activatedAt).toBeNull();
    });

    it('only the first service counts: a second activation is ignored', () => {
      const r = aReferral();
      const first = new Date('2026-01-12T08:00:00.000Z');
      r.activate('svc_1', first);
      expect(r.activate('svc_2', new Date('2026-01-13T08:00:00.000Z'))).toBe('ignored');
      expect(r.snapshot()).toMatchObject({ serviceId: 'svc_1', activatedAt: first });
    });
  });

  describe('review', () => {
    it('approving a flagged referral resumes its lifecycle as if never flagged', () => {
      const r = aReferral();
      r.screened(flagged);
      r.activate('svc_1', new Date('2026-01-12T08:00:00.000Z'));
      r.approve(new Date('2026-01-20T08:00:00.000Z'));
      expect([r.status, r.review]).toEqual(['active', 'approved']);
    });

    it('rejecting a flagged referral makes it rejected for good', () => {
      const r = aReferral();
      r.screened(flagged);
      const at = new Date('2026-01-20T08:00:00.000Z');
      r.rejectByAdmin(at);
      expect(r.status).toBe('rejected');
      expect(r.snapshot().rejectedAt).toEqual(at);
      expect(r.activate('svc_1', new Date('2026-01-21T08:00:00.000Z'))).toBe('ignored');
    });

    it('approving a referral that is not flagged throws REFERRAL_NOT_FLAGGED', () => {
      const r = aReferral();
      r.screened(accepted);
      expect(() => r.approve(new Date())).toThrow(expect.objectContaining({ code: 'REFERRAL_NOT_FLAGGED' }));
      expect(() => r.rejectByAdmin(new Date())).toThrow(expect.objectContaining({ code: 'REFERRAL_NOT_FLAGGED' }));
    });

    it('a decided review cannot be decided again', () => {
      const r = aReferral();
      r.screened(flagged);
      r.approve(new Date());
      expect(() => r.rejectByAdmin(new Date())).toThrow(expect.objectContaining({ code: 'REFERRAL_NOT_FLAGGED' }));
    });
  });

  describe('service interruption and rewards', () => {
    it('only the first interruption of the service is recorded', () => {
      const r = aReferral();
      r.activate('svc_1', new Date('2026-01-12T08:00:00.000Z'));
      const first = new Date('2026-01-20T08:00:00.000Z');
      expect(r.recordServiceInterrupted(first)).toBe(true);
      expect(r.recordServiceInterrupted(new Date('2026-01-25T08:00:00.000Z'))).toBe(false);
      expect(r.snapshot().serviceInterruptedAt).toEqual(first);
    });

    it('a qualified referral can be rewarded once, and again with the same reward is a no-op', () => {
      const r = Referral.rehydrate({ ...aReferral().snapshot(), lifecycle: 'qualified' });
      const at = new Date('2026-03-01T00:00:00.000Z');
      r.markRewarded('reward-1', at);
      r.markRewarded('reward-1', at);
      expect(r.status).toBe('rewarded');
      expect(() => r.markRewarded('reward-2', at)).toThrow(
        expect.objectContaining({ code: 'REFERRALS_NOT_QUALIFIED' }),
      );
    });
  });

  describe('public status and run dates', () => {
    it.each([
      ['pending', 'none', 'pending'],
      ['pending', 'flagged', 'flagged'],
      ['active', 'flagged', 'flagged'],
      ['expired', 'flagged', 'expired'],
      ['cancelled', 'flagged', 'cancelled'],
      ['active', 'approved', 'active'],
      ['rejected', 'rejected', 'rejected'],
      ['rejected', 'none', 'rejected'],
    ] as const)('lifecycle %s with review %s shows as %s', (lifecycle, review, expected) => {
      expect(publicStatus(lifecycle, review)).toBe(expected);
    });

    it('a run on R+31 expires referrals referred on R; R+30 does not', () => {
      const r = BusinessDate.parse('2026-01-10');
      expect(lastStaleReferredOn(BusinessDate.parse('2026-02-10')).equals(r)).toBe(true);
      expect(lastStaleReferredOn(BusinessDate.parse('2026-02-09')).isBefore(r)).toBe(true);
      expect(expiryMoment(r).toISOString()).toBe('2026-02-09T22:00:00.000Z');
    });

    it('a run on A+30 qualifies referrals activated on A, at the start of A+30 SAST', () => {
      const a = BusinessDate.parse('2026-01-12');
      expect(lastQualifyingActivatedOn(BusinessDate.parse('2026-02-11')).equals(a)).toBe(true);
      expect(lastQualifyingActivatedOn(BusinessDate.parse('2026-02-10')).isBefore(a)).toBe(true);
      expect(qualificationMoment(a).toISOString()).toBe('2026-02-10T22:00:00.000Z');
    });
  });
});

describe('Referral at a nightly run', () => {
  const d = (iso: string) => BusinessDate.parse(iso);
  const progress = () => ({ qualified: 1, required: 2 });
  const activeOn = (activatedAt: string, r = aReferral()) => {
    r.screened(accepted);
    r.activate('svc_1', new Date(activatedAt));
    r.pullEvents();
    r.pullHistory();
    return r;
  };

  describe('expireIfStale', () => {
    it('a pending referral is not stale at R+30 and expires at R+31, at the start of R+31, as not activated in time', () => {
      const r = aReferral();
      r.screened(accepted);
      expect(r.expireIfStale(d('2026-02-09'))).toBe('unchanged');
      expect(r.expireIfStale(d('2026-02-10'))).toBe('expired');
      expect(r.snapshot()).toMatchObject({
        lifecycle: 'expired',
        expiredAt: new Date('2026-02-09T22:00:00.000Z'),
        statusReason: 'not_activated_in_time',
      });
      expect(r.pullHistory().at(-1)).toMatchObject({ what: 'expired', from: 'pending', to: 'expired' });
    });

    it('a flagged pending referral expires too; an active or rejected one never does', () => {
      const f = aReferral();
      f.screened(flagged);
      expect(f.expireIfStale(d('2026-03-01'))).toBe('expired');
      expect(activeOn('2026-01-20T08:00:00.000Z').expireIfStale(d('2026-03-01'))).toBe('unchanged');
      const x = aReferral();
      x.screened(rejected);
      expect(x.expireIfStale(d('2026-03-01'))).toBe('unchanged');
    });
  });

  describe('reachHoldEnd', () => {
    // Activated 20 January (SAST): A+30 = 19 February.
    it('qualifies at the run for A+30, not A+29, at the start of A+30, announcing the progress it is given', () => {
      const r = activeOn('2026-01-20T08:00:00.000Z');
      expect(r.reachHoldEnd(d('2026-02-18'), progress)).toBe('unchanged');
      expect(r.reachHoldEnd(d('2026-02-19'), progress)).toBe('qualified');
      expect(r.snapshot().qualifiedAt).toEqual(new Date('2026-02-18T22:00:00.000Z'));
      const [event] = r.pullEvents();
      expect(event).toMatchObject({
        type: 'referral.qualified',
        data: {
          referredFirstName: 'Thandi',
          qualifiedAt: '2026-02-18T22:00:00.000Z',
          progress: { qualified: 1, required: 2 },
        },
      });
    });

    it('an interruption before A+30 cancels it at the first run on or after the interruption, at the interruption', () => {
      const r = activeOn('2026-01-20T08:00:00.000Z');
      r.recordServiceInterrupted(new Date('2026-02-01T08:00:00.000Z'));
      expect(r.reachHoldEnd(d('2026-01-31'), progress)).toBe('unchanged');
      expect(r.reachHoldEnd(d('2026-02-01'), progress)).toBe('cancelled');
      expect(r.snapshot()).toMatchObject({
        lifecycle: 'cancelled',
        cancelledAt: new Date('2026-02-01T08:00:00.000Z'),
        statusReason: 'service_interrupted',
      });
      expect(r.pullEvents()).toEqual([]);
    });

    it('an interruption from A+30 on does not stop it qualifying', () => {
      const r = activeOn('2026-01-20T08:00:00.000Z');
      r.recordServiceInterrupted(new Date('2026-02-18T22:00:00.000Z'));
      expect(r.reachHoldEnd(d('2026-02-20'), progress)).toBe('qualified');
    });

    it('a flagged referral waits for its review; once approved it qualifies with qualifiedAt as if never flagged', () => {
      const r = aReferral();
      r.screened(flagged);
      r.activate('svc_1', new Date('2026-01-20T08:00:00.000Z'));
      expect(r.reachHoldEnd(d('2026-03-01'), progress)).toBe('unchanged');
      r.approve(new Date('2026-03-05T09:00:00.000Z'));
      expect(r.reachHoldEnd(d('2026-03-06'), progress)).toBe('qualified');
      expect(r.snapshot().qualifiedAt).toEqual(new Date('2026-02-18T22:00:00.000Z'));
    });
  });

  describe('nextStep and statusReason (SPEC §12)', () => {
    it('pending: activate by R+30', () => {
      const r = aReferral();
      r.screened(accepted);
      expect(r.nextStep()).toEqual({ kind: 'activate_by', on: d('2026-02-09') });
    });

    it('active: qualifies on A+30; nothing ahead once the service was interrupted before then', () => {
      const r = activeOn('2026-01-20T08:00:00.000Z');
      expect(r.nextStep()).toEqual({ kind: 'qualifies_on', on: d('2026-02-19') });
      r.recordServiceInterrupted(new Date('2026-02-01T08:00:00.000Z'));
      expect(r.nextStep()).toBeNull();
    });

    it('flagged: under review; qualified: waiting for a pair; terminal: nothing', () => {
      const f = aReferral();
      f.screened(flagged);
      expect(f.nextStep()).toEqual({ kind: 'under_review', on: null });
      const q = activeOn('2026-01-20T08:00:00.000Z');
      q.reachHoldEnd(d('2026-02-19'), progress);
      expect(q.nextStep()).toEqual({ kind: 'waiting_for_pair', on: null });
      q.markRewarded('00000000-0000-4000-8000-0000000000aa', new Date());
      expect(q.nextStep()).toBeNull();
    });

    it.each([
      ['DUPLICATE_REFERRAL', 'already_referred'],
      ['SELF_REFERRAL', 'not_eligible'],
      ['MONTHLY_LIMIT', 'not_eligible'],
      ['REFERRER_INACTIVE', 'not_eligible'],
    ])('a referral rejected by %s tells the customer %s (never the rule)', (rule, reason) => {
      const r = aReferral();
      r.screened({ outcome: 'rejected', findings: [{ rule, outcome: 'reject', detail: 'x' }] });
      expect(r.statusReason).toBe(reason);
    });

    it('a referral rejected on review says so', () => {
      const r = aReferral();
      r.screened(flagged);
      r.rejectByAdmin(new Date('2026-01-12T08:00:00.000Z'));
      expect(r.statusReason).toBe('rejected_on_review');
    });
  });

  it('records its history: every change of state with when and what, and the facts judged by', () => {
    const r = aReferral();
    r.screened(flagged);
    r.activate('svc_1', new Date('2026-01-20T08:00:00.000Z'));
    r.approve(new Date('2026-01-25T08:00:00.000Z'));
    r.recordServiceInterrupted(new Date('2026-03-01T08:00:00.000Z'));
    expect(r.pullHistory().map((h) => [h.kind, h.what, h.from, h.to])).toEqual([
      ['transition', 'attributed', null, 'pending'],
      ['transition', 'flagged', 'pending', 'flagged'],
      ['transition', 'activated', 'flagged', 'flagged'],
      ['transition', 'approved_on_review', 'flagged', 'active'],
      ['fact', 'service_interrupted', null, null],
    ]);
    expect(r.pullHistory()).toEqual([]);
  });
});
