import { BillingCustomer } from './billing-customer.entity.js';

const at = (iso: string) => new Date(iso);
const CREATED = '2026-01-10T08:00:00.000Z';

const aCustomer = () =>
  BillingCustomer.register(
    {
      id: 'cus_1',
      name: 'Thandi Nkosi',
      email: 'Thandi.N+promo@Example.co.za',
      phone: '082 123 4567',
      address: '12 Main Rd., Sea Point',
    },
    at(CREATED),
  );

describe('BillingCustomer', () => {
  describe('registering', () => {
    it('keeps the details as given and stores their normalised forms', () => {
      const p = aCustomer().props;
      expect(p.email).toBe('Thandi.N+promo@Example.co.za');
      expect(p.emailNormalized).toBe('thandi.n@example.co.za');
      expect(p.phoneNormalized).toBe('+27821234567');
      expect(p.addressNormalized).toBe('12 main rd sea point');
      expect(p.createdAt.toISOString()).toBe(CREATED);
      expect(p.updatedAt.toISOString()).toBe(CREATED);
    });

    it('a phone that is not a valid number is kept as given and has no normalised form', () => {
      const c = BillingCustomer.register({ id: 'cus_2', name: 'A', email: 'a@example.com', phone: 'n/a' }, at(CREATED));
      expect(c.props.phone).toBe('n/a');
      expect(c.props.phoneNormalized).toBeNull();
    });

    it('an address that is only punctuation has no normalised form, so it can never match another', () => {
      const c = BillingCustomer.register(
        { id: 'cus_3', name: 'A', email: 'a@example.com', address: ' ,. ' },
        at(CREATED),
      );
      expect(c.props.addressNormalized).toBeNull();
    });

    it('without phone or address both are null', () => {
      const p = BillingCustomer.register({ id: 'cus_4', name: 'A', email: 'a@example.com' }, at(CREATED)).props;
      expect([p.phone, p.phoneNormalized, p.address, p.addressNormalized]).toEqual([null, null, null, null]);
    });
  });

  describe('applying updates', () => {
    it('an update sets the fields it carries, re-normalises them and moves updatedAt', () => {
      const c = aCustomer();
      const applied = c.applyChanges({ email: 'New.Mail@GMAIL.com' }, at('2026-02-01T00:00:00.000Z'));
      expect(applied).toEqual(['email']);
      expect(c.props.email).toBe('New.Mail@GMAIL.com');
      expect(c.props.emailNormalized).toBe('newmail@gmail.com');
      expect(c.props.name).toBe('Thandi Nkosi');
      expect(c.props.updatedAt.toISOString()).toBe('2026-02-01T00:00:00.000Z');
    });

    it('null clears the phone and the address', () => {
      const c = aCustomer();
      c.applyChanges({ phone: null, address: null }, at('2026-02-01T00:00:00.000Z'));
      expect([c.props.phone, c.props.phoneNormalized, c.props.address, c.props.addressNormalized]).toEqual([
        null,
        null,
        null,
        null,
      ]);
    });

    it('an older update delivered after a newer one does not overwrite the newer value of the same field', () => {
      const c = aCustomer();
      c.applyChanges({ email: 'newest@example.com' }, at('2026-03-01T00:00:00.000Z'));
      const applied = c.applyChanges({ email: 'older@example.com' }, at('2026-02-01T00:00:00.000Z'));
      expect(applied).toEqual([]);
      expect(c.props.email).toBe('newest@example.com');
      expect(c.props.updatedAt.toISOString()).toBe('2026-03-01T00:00:00.000Z');
    });

    it('an older update still sets a field that no later update has changed', () => {
      const c = aCustomer();
      c.applyChanges({ email: 'newest@example.com' }, at('2026-03-01T00:00:00.000Z'));
      const applied = c.applyChanges(
        { email: 'older@example.com', name: 'Thandi Mokoena' },
        at('2026-02-01T00:00:00.000Z'),
      );
      expect(applied).toEqual(['name']);
      expect(c.props.email).toBe('newest@example.com');
      expect(c.props.name).toBe('Thandi Mokoena');
      expect(c.props.updatedAt.toISOString()).toBe('2026-03-01T00:00:00.000Z');
    });

    it('an update dated before the customer was created changes nothing', () => {
      const c = aCustomer();
      expect(c.applyChanges({ name: 'Too Early' }, at('2026-01-01T00:00:00.000Z'))).toEqual([]);
      expect(c.props.name).toBe('Thandi Nkosi');
    });

    it('of two updates at the same instant the one delivered last wins', () => {
      const c = aCustomer();
      c.applyChanges({ name: 'First' }, at('2026-02-01T00:00:00.000Z'));
      c.applyChanges({ name: 'Second' }, at('2026-02-01T00:00:00.000Z'));
      expect(c.props.name).toBe('Second');
    });

    it('whatever order a set of updates arrives in, every field ends with its latest value', () => {
      const updates = [
        { changes: { name: 'N1', phone: '0821111111' }, at: at('2026-02-01T00:00:00.000Z') },
        { changes: { email: 'e2@example.com' }, at: at('2026-02-02T00:00:00.000Z') },
        { changes: { name: 'N3', address: 'A3' }, at: at('2026-02-03T00:00:00.000Z') },
        { changes: { phone: null, email: 'e4@example.com' }, at: at('2026-02-04T00:00:00.000Z') },
      ];
      const orders = [
        [0, 1, 2, 3],
        [3, 2, 1, 0],
        [2, 0, 3, 1],
        [1, 3, 0, 2],
      ];
      for (const order of orders) {
        const c = aCustomer();
        for (const i of order) c.applyChanges(updates[i]!.changes, updates[i]!.at);
        expect([c.props.name, c.props.email, c.props.phone, c.props.address]).toEqual([
          'N3',
          'e4@example.com',
          null,
          'A3',
        ]);
        expect(c.props.updatedAt.toISOString()).toBe('2026-02-04T00:00:00.000Z');
      }
    });
  });

  describe('erasing (SPEC §16)', () => {
    const ERASED_AT = '2026-03-01T10:00:00.000Z';

    it('removes name, e-mail, phone, address, IP and user agent, keeping id and dates, and returns what it held', () => {
      const c = BillingCustomer.register(
        {
          id: 'cus_1',
          name: 'Thandi Nkosi',
          email: 'thandi@example.com',
          phone: '082 123 4567',
          signupIp: '196.25.1.1',
          userAgent: 'UA/1',
        },
        at(CREATED),
      );
      const held = c.erase(at(ERASED_AT));
      expect(held).toMatchObject({
        name: 'Thandi Nkosi',
        email: 'thandi@example.com',
        phoneNormalized: '+27821234567',
        signupIp: '196.25.1.1',
        userAgent: 'UA/1',
      });
      const p = c.props;
      expect(p).toMatchObject({
        id: 'cus_1',
        name: '',
        email: '',
        emailNormalized: '',
        phone: null,
        phoneNormalized: null,
        address: null,
        addressNormalized: null,
        signupIp: null,
        userAgent: null,
      });
      expect(p.createdAt.toISOString()).toBe(CREATED);
      expect(p.erasedAt?.toISOString()).toBe(ERASED_AT);
    });

    it('a second erasure changes nothing: the first one stands', () => {
      const c = aCustomer();
      c.erase(at(ERASED_AT));
      expect(c.erase(at('2026-04-01T00:00:00.000Z'))).toBeNull();
      expect(c.props.erasedAt?.toISOString()).toBe(ERASED_AT);
    });

    it('an update that happened before the erasure (late or replayed) brings nothing back', () => {
      const c = aCustomer();
      c.erase(at(ERASED_AT));
      expect(
        c.applyChanges(
          { name: 'Thandi Nkosi', email: 'thandi@example.com', phone: '0821234567' },
          at('2026-02-01T00:00:00.000Z'),
        ),
      ).toEqual([]);
      expect(c.props).toMatchObject({ name: '', email: '', phone: null });
    });

    it('an update that happened after the erasure sets the fields it carries anew', () => {
      const c = aCustomer();
      c.erase(at(ERASED_AT));
      expect(c.applyChanges({ email: 'new@example.com' }, at('2026-03-02T00:00:00.000Z'))).toEqual(['email']);
      expect(c.props).toMatchObject({ name: '', email: 'new@example.com', emailNormalized: 'new@example.com' });
    });
  });
});
