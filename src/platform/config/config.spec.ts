import { loadConfig, parseTrustProxy } from './config.js';

const load = (env: Record<string, string>) => loadConfig({ NODE_ENV: 'test', ...env }, () => undefined);

describe('TRUST_PROXY', () => {
  it('is none by default: the client IP is the socket address', () => {
    expect(load({}).trustProxy).toBe(false);
    expect(load({ TRUST_PROXY: '' }).trustProxy).toBe(false);
    expect(load({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
  });

  it.each([
    ['true', true],
    ['2', 2],
    ['loopback', ['loopback']],
    ['loopback, 10.0.0.0/8, 192.168.1.7, fd00::/8, ::1', ['loopback', '10.0.0.0/8', '192.168.1.7', 'fd00::/8', '::1']],
    ['linklocal,uniquelocal', ['linklocal', 'uniquelocal']],
  ])('reads %p in Express "trust proxy" syntax', (raw, expected) => {
    expect(parseTrustProxy(raw)).toEqual(expected);
    expect(load({ TRUST_PROXY: raw }).trustProxy).toEqual(expected);
  });

  it.each([
    ['10.0.0.0/33'],
    ['everyone'],
    ['10.0.0'],
    ['loopback,,10.0.0.1'],
    ['1.2.3.4/8/9'],
    ['fd00::/129'],
    ['-1'],
    ['1000'],
  ])('refuses %p, naming the variable', (raw) => {
    expect(() => load({ TRUST_PROXY: raw })).toThrow(/TRUST_PROXY/);
  });
});
