import fc from 'fast-check';

/**
 * fast-check arbitraries for the malformed-requests drill: values that break an OpenAPI schema
 * (as /docs-json documents it) in at least one way, and the garbage that goes around them
 * (path segments, query strings, bodies that are not JSON).
 */

export interface JsonSchema {
  $ref?: string;
  type?: string;
  format?: string;
  pattern?: string;
  example?: unknown;
  enum?: unknown[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  nullable?: boolean;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean;
  oneOf?: JsonSchema[];
  discriminator?: { propertyName: string; mapping: Record<string, string> };
}

export interface Known {
  customerIds: string[];
  uuids: string[];
  codes: string[];
}

/** An object with these own keys, `__proto__` included (a plain assignment would set the prototype). */
export function ownObject(entries: [string, unknown][]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of entries)
    Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  return o;
}

const SPECIAL_STRINGS = [
  '',
  ' ',
  '..',
  '../../etc/passwd',
  "' OR '1'='1",
  "'; DROP TABLE referrals; --",
  '1; SELECT pg_sleep(10)',
  '"\\',
  '\u0000',
  'a\u0000b',
  '\u202e\u0000\ufeff',
  '%00',
  '%s%s%n',
  '${jndi:ldap://x}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  '🦄💥',
  'null',
  'undefined',
  'NaN',
  '-1',
  '1e309',
  'true',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  'Ω'.repeat(70),
];

export const hugeString = fc.integer({ min: 1_000, max: 100_000 }).map((n) => 'x'.repeat(n));

export const weirdString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 4 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 300 }), weight: 1 },
  { arbitrary: fc.constantFrom(...SPECIAL_STRINGS), weight: 4 },
  { arbitrary: hugeString, weight: 1 },
);

/** `[[[…]]]` or `{"a":{"a":…}}`, up to a few thousand levels. */
export const deeplyNested: fc.Arbitrary<unknown> = fc
  .tuple(fc.integer({ min: 10, max: 4_000 }), fc.boolean())
  .map(([depth, arrays]) => {
    let v: unknown = 1;
    for (let i = 0; i < depth; i++) v = arrays ? [v] : ownObject([['a', v]]);
    return v;
  });

const PROTO_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '__defineGetter__',
];

export const pollution: fc.Arbitrary<unknown> = fc
  .tuple(fc.constantFrom(...PROTO_KEYS), fc.constantFrom(...PROTO_KEYS))
  .map(([a, b]) =>
    ownObject([
      [
        a,
        ownObject([
          [b, ownObject([['polluted', true]])],
          ['polluted', 'yes'],
        ]),
      ],
    ]),
  );

export const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.constantFrom(1e308, -0, Number.MAX_SAFE_INTEGER + 2),
  weirdString,
  fc.jsonValue({ maxDepth: 3 }),
  deeplyNested,
  pollution,
);

/** A key no schema of ours has: prototype names, empty, unicode, long. */
export const unknownKey = fc.oneof(
  fc.constantFrom(...PROTO_KEYS, '', ' ', 'drill_extra', 'id ', 'Reason', 'data.customerId', '$where', 'a'.repeat(300)),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }).map((s) => `x_${s}`),
);

function resolve(schema: JsonSchema, components: Record<string, JsonSchema>): JsonSchema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.split('/').pop()!;
  const found = components[name];
  if (!found) throw new Error(`unresolved ${schema.$ref}`);
  return found;
}

const NOT_A_STRING: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.string({ maxLength: 5 }), { minLength: 1, maxLength: 3 }),
  deeplyNested,
  pollution,
);

/** A value that breaks `schema` for sure (never null/absent: optional and nullable fields accept those). */
export function invalidValue(
  schema: JsonSchema,
  components: Record<string, JsonSchema>,
  known: Known,
): fc.Arbitrary<unknown> {
  const s = resolve(schema, components);
  if (s.properties || s.type === 'object') {
    return fc.oneof(
      fc.constantFrom<unknown>([], 'x', 42, true),
      fc.array(anyValue, { maxLength: 3 }),
      violatingObject(s, components, known),
    );
  }
  if (s.type === 'boolean') return fc.constantFrom<unknown>('yes', 'maybe', 2, -1, {}, [], [true]);
  if (s.type === 'number' || s.type === 'integer') {
    const out: unknown[] = ['abc', {}, [], true, 'Infinity'];
    if (s.minimum !== undefined) out.push(s.minimum - 1, -1e9);
    if (s.maximum !== undefined) out.push(s.maximum + 1, 1e12);
    if (s.type === 'integer') out.push(1.5);
    return fc.constantFrom(...out);
  }
  // strings
  // NUL: no PostgreSQL text column can hold it, so a string carrying one can never be accepted.
  const withNul = fc.constantFrom(
    ...[...(s.enum ?? []).map(String), 'A perfectly good reason'].map((v) => `${v}\u0000`),
    'ab\u0000cd',
  );
  const wrong: fc.Arbitrary<unknown>[] = [NOT_A_STRING, withNul];
  if (s.enum) {
    const allowed = new Set(s.enum);
    wrong.push(weirdString.filter((v) => !allowed.has(v)));
    wrong.push(fc.constantFrom(...s.enum.map((e) => ` ${String(e).toUpperCase()} `)));
  }
  if (s.format === 'uuid') {
    wrong.push(
      fc.constantFrom(
        'not-a-uuid',
        '7b0f9c5e8d7a4a519b1e0d3f2c8a6e11x',
        '7b0f9c5e-8d7a-4a51-9b1e-0d3f2c8a6e1',
        `${known.uuids[0] ?? ''}0`,
        "' OR 1=1 --",
      ),
    );
  }
  if (s.format === 'date')
    wrong.push(
      fc.constantFrom(
        '2026-13-01',
        '2026-02-30',
        '20260601',
        '2026-6-1',
        'yesterday',
        '2026-06-01T00:00:00Z',
        '99999-01-01',
        // SPEC §1: dates lie in 2000–2100, exactly as written (Date.UTC reads 0099 as 1999).
        '0099-12-31',
        '0001-01-01',
        '0000-01-01',
        '1999-12-31',
      ),
    );
  if (s.format === 'date-time')
    wrong.push(
      fc.constantFrom(
        '2026-02-30T00:00:00Z',
        'not a date',
        '1700000000',
        'T10:00:00Z',
        '2026-06-01T25:00:00.000Z',
        // SPEC §1: timestamps lie in 2000–2100 (PostgreSQL has no year 0: a 500 if it got there).
        '0000-01-10T08:00:00.000Z',
        '0099-12-31T08:00:00Z',
        '1999-12-31T23:59:59.999Z',
        '2101-01-01T00:00:00Z',
        '9999-12-31T23:59:59Z',
        '+275760-09-13T00:00:00.000Z',
      ),
    );
  if (s.format === 'email')
    wrong.push(
      fc.constantFrom('not-an-email', 'a@', '@example.com', `${'x'.repeat(300)}@example.com`, 'a b@example.com'),
    );
  if (s.pattern) {
    const re = new RegExp(s.pattern);
    wrong.push(weirdString.filter((v) => !re.test(v)));
  }
  // A rand amount (SPEC §1: 0.00–100000.00): well-formed, but too much.
  if (isRandAmount(s)) wrong.push(fc.constantFrom('999999999999.99', '100000.01', '1000000', '99999999.99'));
  if (s.minLength !== undefined && s.minLength > 0) wrong.push(fc.constant('a'.repeat(s.minLength - 1)));
  if (s.maxLength !== undefined)
    wrong.push(fc.integer({ min: s.maxLength + 1, max: Math.max(s.maxLength + 1, 100_000) }).map((n) => 'y'.repeat(n)));
  return fc.oneof(...wrong);
}

/** A value that fits `schema` (ids from the seeded data, so requests reach real rows). */
export function validValue(
  schema: JsonSchema,
  components: Record<string, JsonSchema>,
  known: Known,
): fc.Arbitrary<unknown> {
  const s = resolve(schema, components);
  if (s.properties || s.type === 'object') return validObject(s, components, known);
  if (s.enum) return fc.constantFrom(...s.enum);
  if (s.type === 'boolean') return fc.boolean();
  if (s.type === 'number' || s.type === 'integer') return fc.integer({ min: s.minimum ?? 0, max: s.maximum ?? 1000 });
  if (s.format === 'uuid') return fc.oneof(fc.constantFrom(...known.uuids), fc.uuid());
  if (s.format === 'date') return fc.constantFrom('2026-06-14', '2026-06-01');
  if (s.format === 'date-time') return fc.constant('2026-06-01T08:00:00.000Z');
  if (s.format === 'email') return fc.constant('drill@example.com');
  if (isRandAmount(s)) return fc.constantFrom('799.00', '0.01', '100000.00', '499.5');
  if (s.pattern) return fc.constantFrom(...known.customerIds, 'cus_unknown_1', 'svc_drill_1', 'inv_drill_1');
  if (s.minLength !== undefined) return fc.constant('A perfectly good reason');
  return fc.constantFrom('text', 'CT-REF-ABCDEFGH', '196.25.1.10', '082 123 4567');
}

/** A money field as /docs-json shows it: a string whose example is a rand amount ("799.00"). */
function isRandAmount(s: JsonSchema): boolean {
  return s.type === 'string' && typeof s.example === 'string' && /^\d+\.\d{2}$/.test(s.example);
}

export function validObject(
  s: JsonSchema,
  components: Record<string, JsonSchema>,
  known: Known,
): fc.Arbitrary<Record<string, unknown>> {
  const props = Object.entries(s.properties ?? {});
  const required = new Set(s.required ?? []);
  return fc
    .tuple(
      ...props.map(([k, p]) =>
        (required.has(k)
          ? validValue(p, components, known)
          : fc.option(validValue(p, components, known), { nil: undefined })
        ).map((v) => [k, v] as [string, unknown]),
      ),
    )
    .map((entries) => ownObject(entries.filter(([, v]) => v !== undefined)));
}

type Violation =
  | { op: 'extra'; key: string; value: unknown }
  | { op: 'drop'; key: string }
  | { op: 'wrong'; key: string; value: unknown };

/**
 * An object shaped like `schema` with at least one violation that survives every later one: an
 * unknown key, a required key missing, or a key with a value the schema refuses (nested objects
 * included). No request built from it can be valid.
 */
export function violatingObject(
  s: JsonSchema,
  components: Record<string, JsonSchema>,
  known: Known,
  opts: { onlyUnknownKeys?: boolean } = {},
): fc.Arbitrary<Record<string, unknown>> {
  const props = Object.entries(s.properties ?? {});
  const required = s.required ?? [];
  const violations: fc.Arbitrary<Violation>[] = [
    fc.record({ op: fc.constant('extra' as const), key: unknownKey, value: anyValue }),
  ];
  if (!opts.onlyUnknownKeys) {
    if (required.length)
      violations.push(fc.record({ op: fc.constant('drop' as const), key: fc.constantFrom(...required) }));
    for (const [k, p] of props) {
      violations.push(
        fc.record({
          op: fc.constant('wrong' as const),
          key: fc.constant(k),
          value: invalidValue(p, components, known),
        }),
      );
    }
  }
  return fc
    .tuple(validObject(s, components, known), fc.array(fc.oneof(...violations), { minLength: 1, maxLength: 3 }))
    .map(([base, vs]) => {
      const entries = new Map(Object.entries(base));
      for (const v of vs) {
        if (v.op === 'drop') entries.delete(v.key);
        else entries.set(v.key, v.value);
      }
      return ownObject([...entries]);
    });
}

/** Ways a string can be invalid Unicode: a lone high, a lone low, a reversed pair. */
const LONE_SURROGATES = ['\ud800', '\udbff', '\udc00', '\udfff', '\udc00\ud800'];

/**
 * `value` with one lone surrogate put into one of its strings — any string value or key, at any
 * depth — or, when it has none, into a new key. Sent as JSON, it travels as a `\ud800` escape;
 * a request carrying it can never be accepted (SPEC §1: invalid Unicode is 400), and everything
 * else in it can be valid, so nothing but the edge check stands between it and the database.
 */
export function withLoneSurrogate(value: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.tuple(value, fc.nat(), fc.constantFrom(...LONE_SURROGATES), fc.nat()).map(([v, pick, lone, at]) => {
    const spoil = (s: string) => `${s.slice(0, at % (s.length + 1))}${lone}${s.slice(at % (s.length + 1))}`;
    // Slots in walk order: every string value, and every key (just before its value).
    let slots = 0;
    const count = (node: unknown): void => {
      if (typeof node === 'string') slots++;
      else if (Array.isArray(node)) node.forEach(count);
      else if (node && typeof node === 'object')
        for (const child of Object.values(node)) {
          slots++;
          count(child);
        }
    };
    count(v);
    if (slots === 0) return ownObject([[spoil('drill'), v ?? 'x']]);
    const target = pick % slots;
    let slot = 0;
    const rebuild = (node: unknown): unknown => {
      if (typeof node === 'string') return slot++ === target ? spoil(node) : node;
      if (Array.isArray(node)) return node.map(rebuild);
      if (node && typeof node === 'object')
        return ownObject(
          Object.entries(node).map(([k, child]): [string, unknown] => {
            const key = slot++ === target ? spoil(k) : k;
            return [key, rebuild(child)];
          }),
        );
      return node;
    };
    return rebuild(v);
  });
}

/** JSON text that does not parse. */
export const invalidJsonText: fc.Arbitrary<string> = fc
  .oneof(
    fc.constantFrom(
      '{',
      '{"reason":',
      "{'reason':'abc'}",
      '{"a":1,}',
      '[1,2',
      'undefined',
      'NaN',
      '{"a":01}',
      '\u0000',
      '{"a":"\\u00"}',
      '}{',
      '{"a" 1}',
    ),
    fc.tuple(fc.jsonValue({ maxDepth: 3 }), fc.nat()).map(([v, cut]) => {
      const text = JSON.stringify(ownObject([['drill', v]]));
      return text.slice(0, Math.max(1, cut % text.length));
    }),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 200 }),
  )
  .filter((text) => {
    try {
      JSON.parse(text);
      return false;
    } catch {
      return true;
    }
  });

/** encodeURIComponent that survives lone surrogates (sent as U+FFFD, as a browser would). */
export const enc = (s: string) => encodeURIComponent(Buffer.from(s, 'utf8').toString('utf8'));

/** A path segment: valid-looking ids, percent-encoded garbage, or raw tricky escapes. */
export function pathSegment(valid: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: valid.map(enc), weight: 4 },
    { arbitrary: weirdString.filter((s) => s.length < 2_000).map(enc), weight: 4 },
    {
      arbitrary: fc.constantFrom(
        '..',
        '.',
        '%00',
        '%2e%2e',
        '%2F',
        '%zz',
        '%',
        '%E0%A4%A',
        '%C0%AE',
        '%25',
        '%20',
        '%u0041',
        '..%2F..%2F',
        '%FF%FE',
        'a%00b',
        // UTF-8 of a lone surrogate, and bytes that are no UTF-8 at all: invalid Unicode (400).
        '%ED%A0%80',
        'a%ED%B0%80b',
        '%C3',
      ),
      weight: 2,
    },
    { arbitrary: fc.integer({ min: 2_000, max: 6_000 }).map((n) => 'z'.repeat(n)), weight: 1 },
  );
}

/** One query value for a documented parameter: valid, out of range, wrong type or garbage. */
export function queryValue(s: JsonSchema | undefined, valid: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const bad: string[] = [
    '',
    ' ',
    'abc',
    'null',
    '[]',
    '{}',
    '-1',
    '0',
    '1e9',
    '1.5',
    '0x10',
    'NaN',
    'Infinity',
    '9'.repeat(400),
  ];
  if (s?.maximum !== undefined) bad.push(String(s.maximum + 1));
  return fc.oneof(
    { arbitrary: valid, weight: 3 },
    { arbitrary: fc.constantFrom(...bad), weight: 3 },
    { arbitrary: weirdString.filter((x) => x.length < 3_000), weight: 3 },
    {
      arbitrary: fc
        .jsonValue({ maxDepth: 2 })
        .map((v) => Buffer.from(JSON.stringify(v) ?? 'null').toString('base64url')),
      weight: 2,
    },
  );
}
