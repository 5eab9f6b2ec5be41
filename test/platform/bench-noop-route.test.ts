import request from 'supertest';
import { startTestApp, type TestApp } from '../support/app.js';

/**
 * The bench's no-op route (bench/README.md: the HTTP stack's ceiling, which the read endpoints
 * are reported against): mounted only with BENCH_NOOP_ROUTE=1, never in the OpenAPI document.
 */
describe('GET /api/dev/noop', () => {
  describe('BENCH_NOOP_ROUTE unset (the default)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp();
    });
    afterAll(() => t.close());

    it('is not mounted: 404 problem+json', async () => {
      const res = await request(t.server).get('/api/dev/noop');
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    });
  });

  describe('BENCH_NOOP_ROUTE=1', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ env: { BENCH_NOOP_ROUTE: '1' } });
    });
    afterAll(() => t.close());

    it('answers 200 without authentication', async () => {
      const res = await request(t.server).get('/api/dev/noop');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ok: true });
    });

    it('is not in the OpenAPI document', async () => {
      const res = await request(t.server).get('/docs-json');
      expect(res.status).toBe(200);
      expect(Object.keys(res.body.paths as object).filter((p) => p.includes('noop'))).toEqual([]);
    });
  });
});
