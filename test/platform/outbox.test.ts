import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { Db } from '../../src/platform/database/db.js';
import type { OutboundEvent } from '#libs/ddd/index.js';
import { rewardEarned } from '../../src/modules/rewards/domain/rewards.events.js';
import { APP_CONFIG, type AppConfig } from '../../src/platform/config/config.js';
import { SIGNATURE_TOLERANCE_SECONDS, verifySignature } from '../../src/platform/http/webhook-signature.js';
import { Metrics } from '../../src/platform/observability/metrics.js';
import { OutboxRelay } from '../../src/platform/outbox/outbox.relay.js';
import { OutboxWriter } from '../../src/platform/outbox/outbox.writer.js';
import { sql } from '../../src/platform/database/sql.js';
import { startTestApp, TEST_OUTBOUND_SECRET, type TestApp } from '../support/app.js';

/** What the receiver does with one request: answer with a status, drop the socket, or hang. */
type Behaviour = { status: number } | 'destroy' | 'hang';

interface Receipt {
  id: string;
  attempt: number;
  outcome: Behaviour;
  signatureOk: boolean;
  signatureT: number;
  contentType: string | undefined;
  body: { id: string; type: string; occurredAt: string; data: unknown };
}

/** A real HTTP receiver on 127.0.0.1 that checks every signature and records every request. */
class Receiver {
  receipts: Receipt[] = [];
  behave: (id: string, attempt: number) => Behaviour = () => ({ status: 200 });
  delayMs = 0;
  private server!: Server;
  private hanging = new Set<ServerResponse>();

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const header = req.headers['circletel-signature'] as string | undefined;
    const body = JSON.parse(raw.toString('utf8')) as Receipt['body'];
    const attempt = this.receipts.filter((r) => r.id === body.id).length + 1;
    const outcome = this.behave(body.id, attempt);
    this.receipts.push({
      id: body.id,
      attempt,
      outcome,
      signatureOk: verifySignature(TEST_OUTBOUND_SECRET, header, raw).ok,
      signatureT: Number(/t=(\d+)/.exec(header ?? '')?.[1]),
      contentType: req.headers['content-type'],
      body,
    });
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    if (outcome === 'destroy') return req.socket.destroy();
    if (outcome === 'hang') {
      this.hanging.add(res);
      return;
    }
    res.writeHead(outcome.status, { 'Content-Type': 'application/json' }).end('{"ok":true}');
  }

  successesFor(id: string) {
    return this.receipts.filter((r) => r.id === id && typeof r.outcome === 'object' && r.outcome.status < 300);
  }

  reset() {
    this.receipts = [];
    this.behave = () => ({ status: 200 });
    this.delayMs = 0;
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
  }

  async stop() {
    this.reset();
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}

const receiver = new Receiver();
let t: TestApp;
let relay: OutboxRelay;

/** A catalogue event (the outbox takes nothing else); `id` fixed so tests can follow it. */
function anEvent(): OutboundEvent {
  return rewardEarned.create(
    {
      rewardId: randomUUID(),
      customerId: 'cus_1',
      rewardType: 'free_month',
      status: 'pending',
      manuallyGranted: false,
      earnedAt: '2026-06-01T00:00:00.000Z',
      expiresAt: '2027-06-01T00:00:00.000Z',
      referralIds: [],
    },
    new Date('2026-06-01T00:00:00.000Z'),
    randomUUID(),
  );
}

/** Appends inside a real transaction, the way a command handler does. */
async function appendCommitted(events: OutboundEvent[]): Promise<void> {
  const txHost = t.get<Db>(Db);
  await txHost.transaction(() => t.get<OutboxWriter>(OutboxWriter).append(events));
}

async function rows(ids: string[]) {
  const { rows } = await t.sql.query<{
    id: string;
    attempts: number;
    delivered_at: Date | null;
    last_error: string | null;
    wait_seconds: number;
  }>(
    `SELECT id::text, attempts, delivered_at, last_error,
            EXTRACT(EPOCH FROM next_attempt_at - now())::float8 AS wait_seconds
       FROM outbox_events WHERE id = ANY($1::uuid[]) ORDER BY created_at, id`,
    [ids],
  );
  return rows;
}

/** Instead of waiting out the backoff: make these events due again now. */
async function fastForward(ids: string[]) {
  await t.sql.query(
    'UPDATE outbox_events SET next_attempt_at = now() WHERE id = ANY($1::uuid[]) AND delivered_at IS NULL',
    [ids],
  );
}

beforeAll(async () => {
  const url = await receiver.start();
  t = await startTestApp({ env: { OUTBOUND_WEBHOOK_URL: url } });
  relay = t.get(OutboxRelay);
});

afterEach(async () => {
  // Each test starts with nothing pending from the one before.
  await t.sql.query('UPDATE outbox_events SET delivered_at = now() WHERE delivered_at IS NULL');
  relay.requestTimeoutMs = 10_000;
  receiver.reset();
});

afterAll(async () => {
  await t?.close();
  await receiver.stop();
});

describe('outbox relay', () => {
  it('delivers an event committed with its change once, signed, in the inbound envelope', async () => {
    const event = anEvent();
    await appendCommitted([event]);

    const result = await relay.drain();

    expect(result).toEqual({ delivered: 1, failed: 0 });
    expect(receiver.receipts).toHaveLength(1);
    const [receipt] = receiver.receipts;
    expect(receipt!.signatureOk).toBe(true);
    expect(Math.abs(Date.now() / 1000 - receipt!.signatureT)).toBeLessThanOrEqual(SIGNATURE_TOLERANCE_SECONDS);
    expect(receipt!.contentType).toBe('application/json');
    expect(receipt!.body).toEqual({
      id: event.id,
      type: 'reward.earned',
      occurredAt: '2026-06-01T00:00:00.000Z',
      data: event.data,
    });
    const [row] = await rows([event.id!]);
    expect(row).toMatchObject({ attempts: 1, last_error: null });
    expect(row!.delivered_at).toBeInstanceOf(Date);

    expect(await relay.drain()).toEqual({ delivered: 0, failed: 0 });
    expect(receiver.receipts).toHaveLength(1);
  });

  it('leaves no outbox row when the transaction that wrote the event rolls back', async () => {
    const event = anEvent();
    const txHost = t.get<Db>(Db);

    await expect(
      txHost.transaction(async () => {
        await t.get<OutboxWriter>(OutboxWriter).append([event]);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');

    expect(await rows([event.id!])).toEqual([]);
    expect(await relay.drain()).toEqual({ delivered: 0, failed: 0 });
    expect(receiver.receipts).toEqual([]);
  });

  it("writes a transaction's events once each, from several appends, and never keeps more than a batch in memory", async () => {
    const txHost = t.get<Db>(Db);
    const writer = t.get<OutboxWriter>(OutboxWriter);
    const events = Array.from({ length: 2_500 }, () => anEvent());
    const seenInside: number[] = [];
    await txHost.transaction(async () => {
      for (let i = 0; i < events.length; i += 100) {
        await writer.append(events.slice(i, i + 100));
        // What this transaction has written so far (the rest waits in memory for COMMIT).
        const { n } = await txHost.one<{ n: number }>(
          sql`SELECT count(*)::int AS n FROM outbox_events WHERE id = ANY(${events.map((e) => e.id!)}::uuid[])`,
        );
        seenInside.push(n);
      }
    });
    expect(Math.max(...seenInside.map((n, i) => (i + 1) * 100 - n))).toBeLessThan(1_000);
    expect(seenInside.at(-1)).toBe(2_000);
    const stored = await t.sql.query<{ id: string }>('SELECT id FROM outbox_events WHERE id = ANY($1::uuid[])', [
      events.map((e) => e.id!),
    ]);
    expect(stored.rows.map((r) => r.id).sort()).toEqual(events.map((e) => e.id!).sort());
    await t.sql.query('DELETE FROM outbox_events WHERE id = ANY($1::uuid[])', [events.map((e) => e.id!)]);
  });

  it('when the receiver fails the first three attempts of each event, then every event still arrives, under one stable id', async () => {
    relay.requestTimeoutMs = 300;
    receiver.behave = (_id, attempt) =>
      attempt === 1 ? { status: 500 } : attempt === 2 ? 'destroy' : attempt === 3 ? 'hang' : { status: 200 };
    const events = Array.from({ length: 5 }, () => anEvent());
    const ids = events.map((e) => e.id!);
    await appendCommitted(events);

    expect(await relay.drain()).toEqual({ delivered: 0, failed: 5 });
    for (const row of await rows(ids)) {
      expect(row).toMatchObject({ attempts: 1, delivered_at: null });
      expect(row.last_error).toMatch(/^HTTP 500/);
    }
    await fastForward(ids);
    expect(await relay.drain()).toEqual({ delivered: 0, failed: 5 });
    for (const row of await rows(ids)) {
      expect(row).toMatchObject({ attempts: 2, delivered_at: null });
      expect(row.last_error).toMatch(/fetch failed|socket|ECONNRESET|other side closed/i);
    }
    await fastForward(ids);
    expect(await relay.drain()).toEqual({ delivered: 0, failed: 5 });
    for (const row of await rows(ids)) {
      expect(row).toMatchObject({ attempts: 3, delivered_at: null, last_error: 'timed out after 300 ms' });
    }
    await fastForward(ids);
    expect(await relay.drain()).toEqual({ delivered: 5, failed: 0 });

    for (const row of await rows(ids)) {
      expect(row.attempts).toBe(4);
      expect(row.delivered_at).toBeInstanceOf(Date);
      expect(row.last_error).toBeNull();
    }
    for (const id of ids) {
      const mine = receiver.receipts.filter((r) => r.id === id);
      expect(mine.map((r) => r.attempt)).toEqual([1, 2, 3, 4]);
      expect(mine.every((r) => r.body.id === id && r.signatureOk)).toBe(true);
      expect(receiver.successesFor(id)).toHaveLength(1);
    }
    expect(receiver.receipts).toHaveLength(20);
  });

  it('waits about a second after the first failure, doubling after each further one, never more than ten minutes', async () => {
    receiver.behave = () => ({ status: 503 });
    const event = anEvent();
    await appendCommitted([event]);

    for (const expected of [1, 2, 4, 8]) {
      await relay.drain();
      const [row] = await rows([event.id!]);
      expect(row!.delivered_at).toBeNull();
      expect(row!.last_error).toMatch(/^HTTP 503/);
      // Up to 10 % jitter on top; the read happens a moment after the write.
      expect(row!.wait_seconds).toBeGreaterThan(expected - 0.5);
      expect(row!.wait_seconds).toBeLessThanOrEqual(expected * 1.1 + 0.05);
      await fastForward([event.id!]);
    }

    // Many failures later, the wait is capped at ten minutes.
    await t.sql.query('UPDATE outbox_events SET attempts = 14 WHERE id = $1', [event.id]);
    await relay.drain();
    const [row] = await rows([event.id!]);
    expect(row!.attempts).toBe(15);
    expect(row!.wait_seconds).toBeGreaterThan(599);
    expect(row!.wait_seconds).toBeLessThanOrEqual(600);
  });

  it('when the receiver is down, then nothing is lost and the events go out once it is back', async () => {
    const events = [anEvent(), anEvent()];
    const ids = events.map((e) => e.id!);
    await appendCommitted(events);
    const down = new OutboxRelay(t.get(Db), t.get(Metrics), {
      ...t.get<AppConfig>(APP_CONFIG),
      outboundWebhookUrl: 'http://127.0.0.1:9/nothing-listens-here',
    });

    expect(await down.drain()).toEqual({ delivered: 0, failed: 2 });
    for (const row of await rows(ids)) {
      expect(row.delivered_at).toBeNull();
      expect(row.last_error).toMatch(/ECONNREFUSED|fetch failed/);
    }

    await fastForward(ids);
    expect(await relay.drain()).toEqual({ delivered: 2, failed: 0 });
    expect(receiver.receipts.map((r) => r.id).sort()).toEqual([...ids].sort());
  });

  it('two relays draining the same database at the same time never send one event twice', async () => {
    receiver.delayMs = 15;
    const events = Array.from({ length: 40 }, () => anEvent());
    const ids = events.map((e) => e.id!);
    await appendCommitted(events);
    // A second instance: a whole second application (its own pool and relay) on the same database.
    const otherApp = await startTestApp({
      databaseUrl: t.config.databaseUrl,
      env: { OUTBOUND_WEBHOOK_URL: t.config.outboundWebhookUrl! },
    });
    const other = otherApp.get<OutboxRelay>(OutboxRelay);
    relay.batchSize = 4;
    other.batchSize = 4;
    try {
      const results = await Promise.all([relay.drain(), other.drain(), relay.drain(), other.drain()]);

      expect(results.reduce((n, r) => n + r.delivered, 0)).toBe(40);
      expect(results.every((r) => r.failed === 0)).toBe(true);
      for (const id of ids) expect(receiver.receipts.filter((r) => r.id === id)).toHaveLength(1);
      expect(receiver.receipts).toHaveLength(40);
      expect((await rows(ids)).every((r) => r.attempts === 1 && r.delivered_at !== null)).toBe(true);
    } finally {
      relay.batchSize = 50;
      await otherApp.close();
    }
  });

  it('claims nothing while no webhook URL is configured', async () => {
    const event = anEvent();
    await appendCommitted([event]);
    const unconfigured = new OutboxRelay(t.get(Db), t.get(Metrics), {
      ...t.get<AppConfig>(APP_CONFIG),
      outboundWebhookUrl: undefined,
    });

    expect(await unconfigured.drain()).toEqual({ delivered: 0, failed: 0 });

    expect(await rows([event.id!])).toEqual([
      expect.objectContaining({ attempts: 0, delivered_at: null, last_error: null }),
    ]);
  });

  it('when running in the background, then it delivers by itself and stops cleanly on shutdown', async () => {
    const background = new OutboxRelay(t.get(Db), t.get(Metrics), {
      ...t.get<AppConfig>(APP_CONFIG),
      outboxRelayEnabled: true,
    });
    const first = anEvent();
    background.onApplicationBootstrap();
    try {
      await appendCommitted([first]);
      const deadline = Date.now() + 5_000;
      while (receiver.receipts.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(receiver.receipts.map((r) => r.id)).toEqual([first.id]);
    } finally {
      await background.onModuleDestroy();
    }

    const second = anEvent();
    await appendCommitted([second]);
    await new Promise((r) => setTimeout(r, 1_200));
    expect(receiver.receipts.map((r) => r.id)).toEqual([first.id]);
    expect(await rows([second.id!])).toEqual([expect.objectContaining({ attempts: 0, delivered_at: null })]);
  });

  it('counts deliveries by outcome for the metrics endpoint', async () => {
    const metrics = t.get<Metrics>(Metrics);
    const count = async (outcome: string) =>
      (await metrics.outboxDeliveries.get()).values.find((v) => v.labels.outcome === outcome)?.value ?? 0;
    const [failedBefore, deliveredBefore] = [await count('failed'), await count('delivered')];
    receiver.behave = (_id, attempt) => (attempt === 1 ? { status: 500 } : { status: 200 });
    const event = anEvent();
    await appendCommitted([event]);

    expect(await relay.drain()).toEqual({ delivered: 0, failed: 1 });
    await fastForward([event.id!]);
    expect(await relay.drain()).toEqual({ delivered: 1, failed: 0 });

    expect((await count('failed')) - failedBefore).toBe(1);
    expect((await count('delivered')) - deliveredBefore).toBe(1);
  });
});
