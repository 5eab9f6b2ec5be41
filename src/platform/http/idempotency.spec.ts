import { canonicalJson, isValidIdempotencyKey, requestFingerprint } from './idempotency.js';

describe('idempotency keys', () => {
  it('accepts 1 to 255 printable characters', () => {
    expect(isValidIdempotencyKey('a')).toBe(true);
    expect(isValidIdempotencyKey('5f0c8e1e-2b7d-4a57-9c43-0d7f7e3f6d11')).toBe(true);
    expect(isValidIdempotencyKey('grant for ticket #42')).toBe(true);
    expect(isValidIdempotencyKey('x'.repeat(255))).toBe(true);
  });

  it('refuses empty, over-long, padded and non-printable keys', () => {
    expect(isValidIdempotencyKey('')).toBe(false);
    expect(isValidIdempotencyKey('x'.repeat(256))).toBe(false);
    expect(isValidIdempotencyKey(' key')).toBe(false);
    expect(isValidIdempotencyKey('key ')).toBe(false);
    expect(isValidIdempotencyKey('line\nbreak')).toBe(false);
    expect(isValidIdempotencyKey('clé')).toBe(false);
  });
});

describe('request fingerprint', () => {
  it('is the same whatever order the body fields come in', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}',
    );
    expect(requestFingerprint('POST', '/api/x', { reason: 'r', rewardId: 'w' })).toBe(
      requestFingerprint('post', '/api/x', { rewardId: 'w', reason: 'r' }),
    );
  });

  it('differs when the body, the path or the method differs', () => {
    const base = requestFingerprint('POST', '/api/x', { reason: 'one' });
    expect(requestFingerprint('POST', '/api/x', { reason: 'two' })).not.toBe(base);
    expect(requestFingerprint('POST', '/api/y', { reason: 'one' })).not.toBe(base);
    expect(requestFingerprint('PUT', '/api/x', { reason: 'one' })).not.toBe(base);
  });

  it('treats a missing body and an empty object as the same request', () => {
    expect(requestFingerprint('POST', '/api/x', undefined)).toBe(requestFingerprint('POST', '/api/x', {}));
  });
});
