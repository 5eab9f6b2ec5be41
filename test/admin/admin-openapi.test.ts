import request from 'supertest';
import { startTestApp, type TestApp } from '../support/app.js';

interface Operation {
  operationId?: string;
  summary?: string;
  description?: string;
  parameters?: { name: string; in: string }[];
  responses: Record<string, { content?: Record<string, unknown> }>;
  'x-required-permissions'?: string[];
}

/** The admin console's API (SPEC §12, §14) as the OpenAPI document describes it to the console's builders. */
describe('OpenAPI of the admin console API', () => {
  let t: TestApp;
  let paths: Record<string, Record<string, Operation>>;
  beforeAll(async () => {
    t = await startTestApp();
    paths = (await request(t.server).get('/docs-json').expect(200)).body.paths;
  });
  afterAll(() => t.close());

  it.each([
    ['get', '/api/admin/customers', 'referrals:view', ['400', '401', '403']],
    ['get', '/api/admin/referrals/{id}/explain', 'referrals:view', ['400', '401', '403', '404']],
    ['post', '/api/admin/referrals', 'referrals:manage', ['400', '401', '403', '404', '409', '415', '422']],
    ['get', '/api/admin/reports/programme', 'referrals:view', ['400', '401', '403']],
    ['get', '/api/admin/credit-notes', 'referrals:view', ['400', '401', '403']],
  ])(
    '%s %s has an id, a summary, a description naming %s, and its errors as problem+json',
    (method, path, permission, errors) => {
      const op = paths[path]?.[method];
      expect(op).toBeDefined();
      expect(op!.operationId).toMatch(/^[a-z][A-Za-z]+$/);
      expect(op!.summary?.length).toBeGreaterThan(10);
      expect(op!.description).toContain(`\`${permission}\``);
      expect(op!['x-required-permissions']).toEqual([permission]);
      for (const status of errors) {
        expect(op!.responses[status]?.content).toHaveProperty(['application/problem+json']);
      }
    },
  );

  it('documents the Idempotency-Key header on the link, and the CSV the register answers with Accept: text/csv', () => {
    const link = paths['/api/admin/referrals']!.post!;
    expect(link.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ in: 'header', name: 'Idempotency-Key' })]),
    );
    const register = paths['/api/admin/credit-notes']!.get!;
    expect(Object.keys(register.responses['200']!.content!)).toEqual(['application/json', 'text/csv']);
  });
});
