import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/app.js';
import { adminToken, bearer, customerToken } from '../support/auth.js';
import { NodemailerMailSender } from '../../src/modules/notifications/infrastructure/nodemailer-mail-sender.js';

const PATH = '/api/customer/notification-preferences';

describe('Notifications: preferences API and the unsubscribe page', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('a customer reads and changes their choice; on by default', async () => {
    const me = bearer(customerToken('cus_prefs_1'));
    expect((await request(t.server).get(PATH).set(me)).body).toEqual({ referralEmails: true, updatedAt: null });
    const off = await request(t.server).put(PATH).set(me).send({ referralEmails: false });
    expect(off.status).toBe(200);
    expect(off.body).toEqual({ referralEmails: false, updatedAt: t.clock.now().toISOString() });
    expect((await request(t.server).get(PATH).set(me)).body).toMatchObject({ referralEmails: false });
    // another customer's choice is their own
    expect(
      (
        await request(t.server)
          .get(PATH)
          .set(bearer(customerToken('cus_prefs_2')))
      ).body,
    ).toMatchObject({
      referralEmails: true,
    });
    await request(t.server).put(PATH).set(me).send({ referralEmails: true }).expect(200);
    expect((await request(t.server).get(PATH).set(me)).body).toMatchObject({ referralEmails: true });
  });

  it.each([
    ['no field', {}],
    ['a string', { referralEmails: 'false' }],
    ['null', { referralEmails: null }],
    ['an unknown field', { referralEmails: false, sms: true }],
  ])('refuses %s with 400 VALIDATION_FAILED, changing nothing', async (_what, body) => {
    const me = bearer(customerToken('cus_prefs_3'));
    const res = await request(t.server).put(PATH).set(me).send(body);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect((await request(t.server).get(PATH).set(me)).body).toEqual({ referralEmails: true, updatedAt: null });
  });

  it('needs a customer token: 401 without one, 403 for an admin', async () => {
    expect((await request(t.server).get(PATH)).status).toBe(401);
    expect((await request(t.server).put(PATH).send({ referralEmails: false })).status).toBe(401);
    const admin = bearer(adminToken(['referrals:manage']));
    expect((await request(t.server).get(PATH).set(admin)).status).toBe(403);
  });

  it('an unsubscribe link without a valid token is 400 problem+json, GET and POST alike', async () => {
    for (const url of ['/api/notifications/unsubscribe', '/api/notifications/unsubscribe?token=abc.def']) {
      const get = await request(t.server).get(url);
      expect(get.status).toBe(400);
      expect(get.headers['content-type']).toMatch(/^application\/problem\+json/);
      const post = await request(t.server)
        .post(url)
        .set('Content-Type', 'application/x-www-form-urlencoded')
        .send('List-Unsubscribe=One-Click');
      expect(post.status).toBe(400);
      expect(post.body.code).toMatch(/^(VALIDATION_FAILED|UNSUBSCRIBE_LINK_INVALID)$/);
    }
  });
});

describe('Notifications without SMTP_URL outside production', () => {
  it('writes each e-mail as an .eml file a mail client opens', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mail-'));
    try {
      const sender = new NodemailerMailSender({
        nodeEnv: 'development',
        mail: { from: 'CircleTel Referrals <referrals@circletel.co.za>', outboxDir: dir },
      } as never);
      expect(sender.mode).toBe('files');
      await sender.send({
        to: 'sipho@example.org',
        subject: 'Test',
        text: 'Hello',
        html: '<p>Hello</p>',
        messageId: '<0193-abc@circletel-referrals>',
        headers: { 'List-Unsubscribe': '<http://localhost:3000/api/notifications/unsubscribe?token=a.b>' },
      });
      const files = await readdir(dir);
      expect(files).toEqual([expect.stringMatching(/-0193-abc\.eml$/)]);
      const mail = await simpleParser(await readFile(path.join(dir, files[0]!)));
      expect(mail.subject).toBe('Test');
      expect(mail.text?.trim()).toBe('Hello');
      expect(mail.html).toContain('<p>Hello</p>');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('in production keeps them unsent (nothing is claimed)', () => {
    const sender = new NodemailerMailSender({
      nodeEnv: 'production',
      mail: { from: 'a@b.co', outboxDir: '/x' },
    } as never);
    expect(sender.mode).toBe('none');
  });
});
