import { ERASED, holdsPersonalData, personalDataValues, redactJson, redactText } from './personal-data.js';

describe('personal data of a customer, in every form it may have been written', () => {
  const values = personalDataValues({
    name: 'Thandi Nkosi',
    email: 'Thandi.Nkosi@Example.com',
    emailNormalized: 'thandi.nkosi@example.com',
    phone: '082 123 4567',
    phoneNormalized: '+27821234567',
    address: '12 Main Road, Sandton',
    addressNormalized: '12 main road sandton',
    signupIp: '196.25.1.1',
    userAgent: 'Mozilla/5.0 (X11)',
  });

  it('holds the values as given, normalised, the first name, the digits of the phone and the masked forms', () => {
    for (const v of [
      'Thandi Nkosi',
      'Thandi',
      'Thandi.Nkosi@Example.com',
      't***@example.com',
      '082 123 4567',
      '0821234567',
      '+27821234567',
      '+27*****4567',
      '12 Main Road, Sandton',
      '12 main road sandton',
      '12 ***',
      '196.25.1.1',
      'Mozilla/5.0 (X11)',
    ]) {
      expect(values.map((x) => x.toLowerCase())).toContain(v.toLowerCase());
    }
  });

  it('lists each value once (case-insensitive), longest first', () => {
    expect(new Set(values.map((v) => v.toLowerCase())).size).toBe(values.length);
    for (let i = 1; i < values.length; i++) expect(values[i - 1]!.length).toBeGreaterThanOrEqual(values[i]!.length);
    expect(values.filter((v) => v.toLowerCase() === 'thandi.nkosi@example.com')).toHaveLength(1);
  });

  it('adds the normalised forms itself, and takes several records of the same customer (earlier values)', () => {
    const v = personalDataValues({ email: 'Old.Name+x@Example.com', phone: '083 555 0000' }, { name: 'New Name' });
    expect(v).toEqual(
      expect.arrayContaining(['Old.Name+x@Example.com', 'old.name@example.com', '+27835550000', 'New Name']),
    );
  });

  it('leaves out values too short to search for, and unknown ones', () => {
    expect(personalDataValues({ name: 'Bo', email: null, phone: undefined })).toEqual([]);
  });

  it('redacts every occurrence in free text, in any case, and the whole name before the first name', () => {
    expect(redactText('Called THANDI NKOSI on 082 123 4567 about thandi.nkosi@example.com', values)).toBe(
      `Called ${ERASED} on ${ERASED} about ${ERASED}`,
    );
    expect(redactText('Thandi asked', values)).toBe(`${ERASED} asked`);
    expect(redactText('nothing personal', values)).toBe('nothing personal');
    expect(holdsPersonalData('from 196.25.1.1', values)).toBe(true);
    expect(holdsPersonalData('from 10.0.0.1', values)).toBe(false);
  });

  it('redacts strings at any depth of a JSON value, keeping keys, numbers and the shape', () => {
    const json = {
      referredName: 'Thandi Nkosi',
      amountCents: 79900,
      nested: [{ detail: 'email t***@example.com matched', ok: true }, null],
    };
    expect(redactJson(json, values)).toEqual({
      referredName: ERASED,
      amountCents: 79900,
      nested: [{ detail: `email ${ERASED} matched`, ok: true }, null],
    });
  });

  it('treats values with regular-expression characters literally', () => {
    const v = personalDataValues({ name: 'A.B (C)+' });
    expect(redactText('xA.B (C)+y AxB (C)y', v)).toBe(`x${ERASED}y AxB (C)y`);
  });

  it('changes nothing without values', () => {
    expect(redactText('Thandi', [])).toBe('Thandi');
    expect(redactJson({ a: 'Thandi' }, [])).toEqual({ a: 'Thandi' });
  });
});
