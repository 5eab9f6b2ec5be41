import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import request from 'supertest';
import { OutboxRelay } from '../../src/platform/outbox/outbox.relay.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { adminToken, bearer } from '../support/auth.js';
import { serviceActivated } from '../support/billing.js';
import { hoursAfter, signUp } from '../fraud/fraud-support.js';
import { aReferrer, billing } from '../support/builders.js';

/**
 * The AsyncAPI document (/docs/events.json) is generated from the typed event catalogue; here
 * the service really sends every catalogue event to a real receiver, and each body must match
 * its message in the document — so the published contract is what goes over the wire.
 */
describe('the outbound event catalogue and its AsyncAPI document', () => {
  let t: TestApp;
  let receiver: Server;
  const received: { type: string; body: unknown }[] = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        const body = JSON.parse(raw) as { type: string };
        received.push({ type: body.type, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/events`;
    t = await startTestApp({ now: '2026-03-01T08:00:00.000Z', env: { OUTBOUND_WEBHOOK_URL: url } });
  });
  afterAll(async () => {
    await t.close();
    await new Promise((r) => receiver.close(r));
  });

  it('is an AsyncAPI 3 document with one message per catalogue event, each with its payload schema', async () => {
    const res = await request(t.server).get('/docs/events.json').expect(200);
    expect(res.body.asyncapi).toBe('3.0.0');
    const messages = res.body.channels.outboundWebhook.messages as Record<string, { payload: unknown }>;
    expect(Object.keys(messages).sort()).toEqual(
      [
        'fraud.alert',
        'referral.attributed',
        'referral.flagged',
        'referral.qualified',
        'reward.applied',
        'reward.earned',
        'reward.expired',
        'reward.expiry_reminder',
        'reward.granted',
        'reward.revoked',
      ].sort(),
    );
    expect(res.body.operations.deliverEvent.messages).toHaveLength(Object.keys(messages).length);
  });

  it('every event the service sends matches its message in the document', async () => {
    const manage = bearer(adminToken(['referrals:view', 'referrals:manage', 'reconciliation:run'], 'admin-cat'));
    // attributed + flagged (a shared IP) + fraud.alert (the 6th signup in 24 h)
    const referrer = await aReferrer(t, { signupIp: '196.25.1.1' });
    const at = '2026-01-10T08:00:00.000Z';
    const friends = [];
    for (let i = 0; i < 6; i++) {
      friends.push(await signUp(t, referrer.code, hoursAfter(at, i), i === 0 ? { signupIp: '196.25.1.1' } : {}));
    }
    // qualified + earned + applied: two friends connected on 12 January, runs through 1 March
    for (const f of friends.slice(1, 3))
      await billing(t, serviceActivated(f.customerId, {}, '2026-01-12T08:00:00.000Z'));
    for (const asOf of ['2026-02-11', '2026-03-01']) {
      await request(t.server).post('/api/admin/reconciliation/runs').set(manage).send({ asOf }).expect(201);
    }
    // granted + revoked, and granted-then-expired a year on
    const other = await aReferrer(t);
    const granted = await request(t.server)
      .post(`/api/admin/customers/${other.customerId}/referrals/grant`)
      .set(manage)
      .send({ reason: 'Goodwill for an outage' })
      .expect(201);
    await request(t.server)
      .post(`/api/admin/customers/${other.customerId}/referrals/revoke`)
      .set(manage)
      .send({ rewardId: granted.body.rewardId, reason: 'Granted twice' })
      .expect(200);
    const expiring = await aReferrer(t, {}, { active: false }); // no service: nothing to apply it to, so it expires
    await request(t.server)
      .post(`/api/admin/customers/${expiring.customerId}/referrals/grant`)
      .set(manage)
      .send({ reason: 'Goodwill, never used' })
      .expect(201);
    // reminded 30 days or less before its expiry date (SPEC §15), then expired
    t.clock.set(new Date('2027-02-15T08:00:00.000Z'));
    await request(t.server).post('/api/admin/reconciliation/runs').set(manage).send({ asOf: '2027-02-15' }).expect(201);
    t.clock.set(new Date('2027-03-10T08:00:00.000Z'));
    await request(t.server).post('/api/admin/reconciliation/runs').set(manage).send({ asOf: '2027-03-10' }).expect(201);

    await t.get<OutboxRelay>(OutboxRelay).drain();

    const document = (await request(t.server).get('/docs/events.json')).body;
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    const messages = document.channels.outboundWebhook.messages as Record<string, { payload: object }>;
    const seen = new Set<string>();
    for (const { type, body } of received) {
      const message = messages[type];
      expect(message).toBeDefined();
      const valid = ajv.validate(message!.payload, body);
      if (!valid)
        throw new Error(`${type} does not match its AsyncAPI message: ${ajv.errorsText()}\n${JSON.stringify(body)}`);
      seen.add(type);
    }
    expect([...seen].sort()).toEqual(Object.keys(messages).sort());
  });
});
