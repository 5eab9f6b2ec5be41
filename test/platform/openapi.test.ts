import request from 'supertest';
import { startTestApp, type TestApp } from '../support/app.js';

/**
 * The OpenAPI document is for client developers: every operation must say what it does, who may
 * call it and how, with a stable operationId and an example body. Walks /docs-json, so an
 * endpoint added later is held to the same rules; each failure says what to add and where.
 */
interface Operation {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: { name: string; in: string }[];
  requestBody?: { content: Record<string, { example?: unknown; examples?: Record<string, unknown> }> };
  responses: Record<string, unknown>;
  'x-required-role'?: string;
  'x-required-permissions'?: string[];
}
interface Document {
  info: { description: string };
  tags?: { name: string; description?: string }[];
  paths: Record<string, Record<string, Operation>>;
}

let t: TestApp;
let doc: Document;
const operations: { where: string; method: string; path: string; op: Operation }[] = [];

beforeAll(async () => {
  t = await startTestApp();
  doc = (await request(t.server).get('/docs-json').expect(200)).body as Document;
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      operations.push({ where: `${method.toUpperCase()} ${path}`, method, path, op });
    }
  }
});

afterAll(() => t.close());

/** What the author wrote, without the access line the document builder appends. */
const ownDescription = (op: Operation) => (op.description ?? '').split('**Access:**')[0]!.trim();

describe('the OpenAPI document', () => {
  it('documents operations at all', () => {
    expect(operations.length).toBeGreaterThanOrEqual(15);
  });

  it('gives every operation a summary and its own description', () => {
    const problems = operations.flatMap(({ where, op }) => [
      ...(op.summary?.trim() ? [] : [`${where}: add a summary to its @ApiOperation({ summary })`]),
      ...(ownDescription(op).length >= 20
        ? []
        : [
            `${where}: add a description (a sentence or two for client developers) to its @ApiOperation({ description })`,
          ]),
    ]);
    expect(problems).toEqual([]);
  });

  it('gives every operation a stable, unique operationId (verbNoun, not Nest’s Controller_method)', () => {
    const seen = new Map<string, string>();
    const problems: string[] = [];
    for (const { where, op } of operations) {
      const id = op.operationId ?? '';
      if (!/^[a-z][A-Za-z0-9]+$/.test(id)) {
        problems.push(
          `${where}: add operationId: '<verbNoun>' (e.g. 'listFlaggedReferrals') to its @ApiOperation (now "${id}")`,
        );
      } else if (seen.has(id)) {
        problems.push(`${where}: operationId "${id}" is also used by ${seen.get(id)}; choose another`);
      }
      seen.set(id, where);
    }
    expect(problems).toEqual([]);
  });

  it('tags every operation with a tag that has a description', () => {
    const described = new Map((doc.tags ?? []).map((tag) => [tag.name, tag.description?.trim() ?? '']));
    const problems = operations.flatMap(({ where, op }) =>
      !op.tags?.length
        ? [`${where}: add @ApiTags(...) with one of: ${[...described.keys()].join(', ')}`]
        : op.tags
            .filter((tag) => !described.get(tag))
            .map(
              (tag) => `${where}: tag "${tag}" has no description: add it to API_TAGS in src/platform/http/openapi.ts`,
            ),
    );
    expect(problems).toEqual([]);
  });

  it('gives every request body an example', () => {
    const problems = operations.flatMap(({ where, op }) =>
      Object.entries(op.requestBody?.content ?? {})
        .filter(([, media]) => media.example === undefined && !Object.keys(media.examples ?? {}).length)
        .map(
          ([type]) => `${where}: add a request example (${type}): @ApiBody({ type, examples: { name: { value } } })`,
        ),
    );
    expect(problems).toEqual([]);
  });

  it('writes who may call each /api operation into its description, matching what the guard enforces', () => {
    const problems: string[] = [];
    for (const { where, path, op } of operations.filter((o) => o.path.startsWith('/api/'))) {
      const access = /\*\*Access:\*\*(.*)$/s.exec(op.description ?? '')?.[1] ?? '';
      if (!access)
        problems.push(`${where}: no **Access:** line (declare @CustomerOnly(), @Permissions(...) or @Public())`);
      else if (op['x-required-role'] && !access.includes(`role: ${op['x-required-role']}`)) {
        problems.push(`${where}: the access line does not name role ${op['x-required-role']}`);
      }
      for (const permission of op['x-required-permissions'] ?? []) {
        if (!access.includes(`\`${permission}\``))
          problems.push(`${where}: the access line does not name ${permission}`);
      }
      if (!op['x-required-role'] && !/public|billing system/.test(access)) {
        problems.push(`${where} (${path}): neither a role nor public access is documented`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('documents the Idempotency-Key header and its errors on every admin write', () => {
    const writes = operations.filter(({ method, op }) => method !== 'get' && op['x-required-role'] === 'admin');
    expect(writes.map((w) => w.where)).toEqual(
      expect.arrayContaining([
        'POST /api/admin/referrals/{id}/review',
        'POST /api/admin/customers/{id}/referrals/grant',
        'POST /api/admin/customers/{id}/referrals/revoke',
        'POST /api/admin/reconciliation/runs',
      ]),
    );
    const problems = writes.flatMap(({ where, op }) => [
      ...(op.parameters?.some((p) => p.in === 'header' && p.name === 'Idempotency-Key')
        ? []
        : [`${where}: the Idempotency-Key header is not documented`]),
      ...['409', '422'].filter((s) => !op.responses[s]).map((s) => `${where}: no ${s} response for Idempotency-Key`),
    ]);
    expect(problems).toEqual([]);
  });

  it('tells client developers how to get a token', () => {
    expect(doc.info.description).toContain('Getting a token');
    expect(doc.info.description).toContain('npm run -s dev:token -- customer');
    expect(doc.info.description).toContain('npm run -s dev:token -- admin');
  });
});
