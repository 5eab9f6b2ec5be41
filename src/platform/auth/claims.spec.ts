import { isWellFormedUnicode, permissionsFrom, principalFrom, readClaim, roleFrom } from './claims.js';

const exp = Math.floor(Date.now() / 1000) + 60;
const names = { role: 'role', permissions: 'permissions' };

describe('reading role and permission claims', () => {
  it('reads a claim by name, by dotted path, and a namespaced name containing dots as a whole', () => {
    const payload = {
      role: 'admin',
      realm_access: { roles: ['admin'] },
      'https://circletel.co.za/roles': ['customer'],
    };
    expect(readClaim(payload, 'role')).toBe('admin');
    expect(readClaim(payload, 'realm_access.roles')).toEqual(['admin']);
    expect(readClaim(payload, 'https://circletel.co.za/roles')).toEqual(['customer']);
    expect(readClaim(payload, 'realm_access.missing')).toBeUndefined();
    expect(readClaim(payload, 'role.length')).toBeUndefined();
    expect(readClaim({ a: [{ b: 1 }] }, 'a.0.b')).toBeUndefined();
  });

  it('knows exactly "admin" and "customer"; a list of roles gives admin first', () => {
    expect(roleFrom('admin')).toBe('admin');
    expect(roleFrom('customer')).toBe('customer');
    expect(roleFrom('Admin')).toBeNull();
    expect(roleFrom('superuser')).toBeNull();
    expect(roleFrom(undefined)).toBeNull();
    expect(roleFrom(['offline_access', 'admin'])).toBe('admin');
    expect(roleFrom(['customer', 'admin'])).toBe('admin');
    expect(roleFrom(['Admin'])).toBeNull();
  });

  it('takes permissions from an array or a space-separated string, keeping only known ones', () => {
    expect(permissionsFrom(['referrals:view', 'referrals:view', 'billing:all', 7])).toEqual(['referrals:view']);
    expect(permissionsFrom('openid referrals:view reconciliation:run')).toEqual([
      'referrals:view',
      'reconciliation:run',
    ]);
    expect(permissionsFrom({ 'referrals:view': true })).toEqual([]);
  });

  it('spots lone surrogates but not paired ones', () => {
    expect(isWellFormedUnicode('adm\ud800')).toBe(false);
    expect(isWellFormedUnicode('\udc00adm')).toBe(false);
    expect(isWellFormedUnicode('admin 😀 é')).toBe(true);
  });
});

describe('the principal of a verified token', () => {
  it('a valid token with an unknown role is a principal with no role (403 later), not a refusal (401)', () => {
    expect(principalFrom({ sub: 'admin-1', role: 'Admin', permissions: ['referrals:view'], exp }, names)).toEqual({
      sub: 'admin-1',
      role: null,
      permissions: ['referrals:view'],
    });
  });

  it('refuses a sub that cannot be stored, or a token without exp', () => {
    expect(principalFrom({ sub: 'adm\ud800', role: 'admin', exp }, names)).toBe(false);
    expect(principalFrom({ sub: 'adm\u0000', role: 'admin', exp }, names)).toBe(false);
    expect(principalFrom({ sub: '', role: 'admin', exp }, names)).toBe(false);
    expect(principalFrom({ sub: 'x'.repeat(129), role: 'admin', exp }, names)).toBe(false);
    expect(principalFrom({ sub: 42, role: 'admin', exp }, names)).toBe(false);
    expect(principalFrom({ sub: 'admin-1', role: 'admin' }, names)).toBe(false);
    expect(principalFrom({ sub: 'not a customer id', role: 'customer', exp }, names)).toBe(false);
  });

  it('uses the claim names it is given', () => {
    const payload = { sub: 'u-1', exp, groups: ['admin'], scp: 'referrals:manage' };
    expect(principalFrom(payload, { role: 'groups', permissions: 'scp' })).toEqual({
      sub: 'u-1',
      role: 'admin',
      permissions: ['referrals:manage'],
    });
  });
});
