import { Body, Controller, HttpCode, Module, Param, Post } from '@nestjs/common';
import { Db } from '../../src/platform/database/db.js';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import request from 'supertest';
import { DomainError } from '#libs/ddd/index.js';
import { AuditLog } from '../../src/platform/audit/audit-log.js';
import { CurrentPrincipal, CustomerOnly, Permissions } from '../../src/platform/auth/decorators.js';
import type { Principal } from '../../src/platform/auth/principal.js';
import { IdempotencyStore } from '../../src/platform/http/idempotency.interceptor.js';
import { adminToken, bearer, customerToken } from '../support/auth.js';
import { uniqueId } from '../support/billing.js';
import { startTestApp, type TestApp } from '../support/app.js';

class ThrowawayWriteDto {
  @IsString() @Length(3, 500) reason!: string;
  @IsOptional() @IsInt() @Min(0) @Max(2_000) delayMs?: number;
}

class Refused extends DomainError {
  readonly code = 'TEST_REFUSED';
  readonly kind = 'conflict' as const;
}

/**
 * Test-only admin writes: each one appends an audit entry in a transaction, like the real
 * grant / revoke / review handlers, so "the handler ran" is one row in audit_log.
 */
@Controller('test/idempotency/customers/:customerId')
class ThrowawayAdminController {
  constructor(
    private readonly audit: AuditLog,
    private readonly txHost: Db,
  ) {}

  private write(customerId: string, actor: string, action: string, dto: ThrowawayWriteDto) {
    return this.txHost.transaction(async () => {
      const entryId = await this.audit.append({
        actor,
        action,
        customerId,
        subjectId: uniqueId('subj'),
        reason: dto.reason,
      });
      if (dto.delayMs) await new Promise((r) => setTimeout(r, dto.delayMs));
      if (dto.reason === 'refuse me') throw new Refused('refused after writing: the transaction rolls back');
      return { entryId, reason: dto.reason, at: Date.now() };
    });
  }

  /** Default status of a POST: 201. */
  @Post('grant')
  @Permissions('referrals:manage')
  grant(@Param('customerId') customerId: string, @Body() dto: ThrowawayWriteDto, @CurrentPrincipal() p: Principal) {
    return this.write(customerId, p.sub, 'test.granted', dto);
  }

  @Post('review')
  @HttpCode(200)
  @Permissions('referrals:manage')
  review(@Param('customerId') customerId: string, @Body() dto: ThrowawayWriteDto, @CurrentPrincipal() p: Principal) {
    return this.write(customerId, p.sub, 'test.reviewed', dto);
  }

  @Post('own')
  @CustomerOnly()
  own(@Param('customerId') customerId: string, @Body() dto: ThrowawayWriteDto, @CurrentPrincipal() p: Principal) {
    return this.write(customerId, p.sub, 'test.customer_write', dto);
  }
}

@Module({ controllers: [ThrowawayAdminController] })
class ThrowawayAdminModule {}

let t: TestApp;
const admin = bearer(adminToken(['referrals:view', 'referrals:manage'], 'admin-idem'));

beforeAll(async () => {
  t = await startTestApp({ imports: [ThrowawayAdminModule] });
});

afterAll(async () => {
  await t?.close();
});

async function rowsFor(customerId: string): Promise<number> {
  const { rows } = await t.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log WHERE customer_id = $1', [
    customerId,
  ]);
  return rows[0]!.n;
}

const grant = (customerId: string, body: object, key?: string, auth = admin) => {
  const req = request(t.server).post(`/test/idempotency/customers/${customerId}/grant`).set(auth);
  return (key === undefined ? req : req.set('Idempotency-Key', key)).send(body);
};

describe('Idempotency-Key on admin writes', () => {
  it('when the same key comes again with the same body, then the first response is returned and the write happens once', async () => {
    const customerId = uniqueId('cus');
    const key = uniqueId('key');

    const first = await grant(customerId, { reason: 'goodwill for outage' }, key);
    const again = await grant(customerId, { reason: 'goodwill for outage' }, key);

    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await rowsFor(customerId)).toBe(1);
    const stored = await t.get<IdempotencyStore>(IdempotencyStore).find('admin-idem', key);
    expect(stored).toMatchObject({ responseStatus: 201, responseBody: first.body, method: 'POST' });
  });

  it('replays the status the route answered with, here 200', async () => {
    const customerId = uniqueId('cus');
    const key = uniqueId('key');
    const send = () =>
      request(t.server)
        .post(`/test/idempotency/customers/${customerId}/review`)
        .set(admin)
        .set('Idempotency-Key', key)
        .send({ reason: 'approved after call' });

    const first = await send();
    const again = await send();

    expect([first.status, again.status]).toEqual([200, 200]);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await rowsFor(customerId)).toBe(1);
  });

  it('treats the same body with its fields in another order as the same request', async () => {
    const customerId = uniqueId('cus');
    const key = uniqueId('key');
    const first = await grant(customerId, { reason: 'same request', delayMs: 0 }, key);
    const again = await grant(customerId, { delayMs: 0, reason: 'same request' }, key);

    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(await rowsFor(customerId)).toBe(1);
  });

  it('when the same key comes with another body, then it is refused with 422 IDEMPOTENCY_KEY_REUSED', async () => {
    const customerId = uniqueId('cus');
    const key = uniqueId('key');
    await grant(customerId, { reason: 'first reason' }, key).expect(201);

    const other = await grant(customerId, { reason: 'another reason' }, key);

    expect(other.status).toBe(422);
    expect(other.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(other.body).toMatchObject({ status: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(await rowsFor(customerId)).toBe(1);
  });

  it('when the same key is used on another route, then it is refused with 422 as well', async () => {
    const customerId = uniqueId('cus');
    const key = uniqueId('key');
    await grant(customerId, { reason: 'first reason' }, key).expect(201);

    const elsewhere = await grant(uniqueId('cus'), { reason: 'first reason' }, key);

    expect(elsewhere.status).toBe(422);
    expect(elsewhere.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('without a key, every request runs', async () => {
    const customerId = uniqueId('cus');

    await grant(customerId, { reason: 'no key' }).expect(201);
    await grant(customerId, { reason: 'no key' }).expect(201);

    expect(await rowsFor(customerId)).toBe(2);
  });

  it('keeps keys per admin: another admin may use the same key for their own request', async () => {
    const customerId = uniqueId('cus');
    const key = uniqueId('key');
    const otherAdmin = bearer(adminToken(['referrals:manage'], 'admin-other'));

    await grant(customerId, { reason: 'mine' }, key).expect(201);
    const theirs = await grant(customerId, { reason: 'theirs' }, key, otherAdmin);

    expect(theirs.status).toBe(201);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(await rowsFor(customerId)).toBe(2);
  });

  it('when the handler refuses the request, then nothing is remembered and the key can be used again', async () => {
    const customerId = uniqueId('cus');
    const key = uniqueId('key');

    const refused = await grant(customerId, { reason: 'refuse me' }, key);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('TEST_REFUSED');
    expect(await t.get<IdempotencyStore>(IdempotencyStore).find('admin-idem', key)).toBeUndefined();
    expect(await rowsFor(customerId)).toBe(0);

    const retried = await grant(customerId, { reason: 'now it is fine' }, key);
    expect(retried.status).toBe(201);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
    expect(await rowsFor(customerId)).toBe(1);
  });

  it('when the body fails validation, then nothing is remembered', async () => {
    const customerId = uniqueId('cus');
    const key = uniqueId('key');

    const bad = await grant(customerId, { reason: 'ok reason', unexpected: true }, key);

    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect(await t.get<IdempotencyStore>(IdempotencyStore).find('admin-idem', key)).toBeUndefined();
  });

  it('refuses a key that is empty or longer than 255 characters with 400 INVALID_IDEMPOTENCY_KEY', async () => {
    const customerId = uniqueId('cus');

    const tooLong = await grant(customerId, { reason: 'long key' }, 'k'.repeat(256));
    const empty = await grant(customerId, { reason: 'empty key' }, '');

    expect(tooLong.status).toBe(400);
    expect(tooLong.body.code).toBe('INVALID_IDEMPOTENCY_KEY');
    expect(empty.status).toBe(400);
    expect(empty.body.code).toBe('INVALID_IDEMPOTENCY_KEY');
    expect(await rowsFor(customerId)).toBe(0);
  });

  it('when two requests with the same key arrive together, then the write happens once and the other is told 409 or gets the replay', async () => {
    const customerId = uniqueId('cus');
    const key = uniqueId('key');
    const body = { reason: 'concurrent', delayMs: 300 };

    const responses = await Promise.all([
      grant(customerId, body, key),
      grant(customerId, body, key),
      grant(customerId, body, key),
    ]);

    const ran = responses.filter((r) => r.status === 201 && r.headers['idempotent-replayed'] === undefined);
    expect(ran).toHaveLength(1);
    for (const r of responses.filter((x) => x !== ran[0])) {
      if (r.status === 409) expect(r.body.code).toBe('IDEMPOTENCY_KEY_IN_PROGRESS');
      else expect(r).toMatchObject({ status: 201, body: ran[0]!.body });
    }
    expect(await rowsFor(customerId)).toBe(1);

    const afterwards = await grant(customerId, body, key);
    expect(afterwards.status).toBe(201);
    expect(afterwards.body).toEqual(ran[0]!.body);
  });

  it("leaves customers' writes alone: a customer's key is neither checked nor remembered", async () => {
    const customerId = uniqueId('cus');
    const key = 'k'.repeat(300);
    const send = () =>
      request(t.server)
        .post(`/test/idempotency/customers/${customerId}/own`)
        .set(bearer(customerToken(customerId)))
        .set('Idempotency-Key', key)
        .send({ reason: 'customer write' });

    const first = await send();
    const second = await send();

    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.headers['idempotent-replayed']).toBeUndefined();
    expect(await rowsFor(customerId)).toBe(2);
  });
});
