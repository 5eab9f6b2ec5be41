import { signUnsubscribeToken, UNSUBSCRIBE_TOKEN_DAYS, verifyUnsubscribeToken } from './unsubscribe-token.js';

const secret = 'a-test-link-secret-0123456789';
const now = new Date('2026-03-01T10:00:00.000Z');
const later = (days: number) => new Date(now.getTime() + days * 86_400_000);

describe('unsubscribe tokens', () => {
  it('name the customer they were signed for, until they expire', () => {
    const token = signUnsubscribeToken(secret, 'cus_123', now);
    expect(verifyUnsubscribeToken(secret, token, later(1))).toEqual({ ok: true, customerId: 'cus_123' });
    expect(verifyUnsubscribeToken(secret, token, later(UNSUBSCRIBE_TOKEN_DAYS - 1))).toMatchObject({ ok: true });
    expect(verifyUnsubscribeToken(secret, token, later(UNSUBSCRIBE_TOKEN_DAYS))).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  it('are refused when signed with another secret, altered or malformed', () => {
    const token = signUnsubscribeToken(secret, 'cus_123', now);
    expect(verifyUnsubscribeToken('another-secret-0123456789', token, now)).toEqual({ ok: false, reason: 'invalid' });
    const [, sig] = token.split('.');
    const forged = `${Buffer.from(JSON.stringify({ c: 'cus_other', e: 4_000_000_000 })).toString('base64url')}.${sig}`;
    expect(verifyUnsubscribeToken(secret, forged, now)).toEqual({ ok: false, reason: 'invalid' });
    for (const bad of ['', '.', 'abc', `${token}.x`, token.slice(0, -1)]) {
      expect(verifyUnsubscribeToken(secret, bad, now)).toEqual({ ok: false, reason: 'invalid' });
    }
    expect(verifyUnsubscribeToken('', token, now)).toEqual({ ok: false, reason: 'invalid' });
  });
});
