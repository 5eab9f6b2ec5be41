import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { ValidationFailed } from '#libs/ddd/index.js';

function flatten(errors: ValidationError[], prefix = ''): { field: string; message: string }[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({
      field,
      message: message.replace(/^property (\S+) should not exist$/, 'unknown field'),
    }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** Deeper than any request of ours; class-transformer recurses per level and would overflow the stack. */
export const MAX_REQUEST_NESTING = 32;

/**
 * Keys no DTO of ours has but class-transformer drops without a word (`constructor`,
 * `hasOwnProperty`, `__proto__`, … — whatever Object.prototype has), so the whitelist never sees
 * them and `{"reason":"…","constructor":1}` would be accepted although unknown fields are refused.
 */
const isReservedKey = (key: string) =>
  key === 'prototype' || Object.prototype.hasOwnProperty.call(Object.prototype, key);

/** A field of the request (`data.name`, `reason`, `q`) and what is wrong with it. */
export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * What no string of a request may hold, whatever field it is in (SPEC §1): text PostgreSQL
 * cannot store or would silently change — a NUL, or invalid Unicode (a lone UTF-16 surrogate
 * such as `\ud800`, which JSON can spell, and which a query string's undecodable bytes become,
 * see query-string.ts). The message, or undefined when the string is fine.
 */
export function stringProblem(s: string): string | undefined {
  if (!s.isWellFormed()) return 'must be valid Unicode (it holds a lone UTF-16 surrogate or undecodable bytes)';
  if (s.includes('\u0000')) return 'must not contain NUL characters';
  return undefined;
}

/**
 * Walks `value` without recursion: too deep (more than `max` levels)? the paths of reserved
 * keys, and of strings (values or keys) that `stringProblem` refuses. Paths are well-formed
 * themselves (a bad character in a key is shown as U+FFFD), so the answer can always be sent.
 */
export function inspectInput(
  value: unknown,
  max = MAX_REQUEST_NESTING,
  root = '',
): { tooDeep: boolean; reservedKeys: string[]; badStrings: FieldProblem[] } {
  const reservedKeys: string[] = [];
  const badStrings: FieldProblem[] = [];
  const stack: [unknown, number, string][] = [[value, 0, root]];
  while (stack.length > 0) {
    const [v, depth, path] = stack.pop()!;
    if (typeof v === 'string') {
      const message = stringProblem(v);
      if (message) badStrings.push({ field: path, message });
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth >= max) return { tooDeep: true, reservedKeys, badStrings };
    const children: [unknown, number, string][] = [];
    for (const [k, child] of Object.entries(v)) {
      const childPath = path ? `${path}.${k.toWellFormed()}` : k.toWellFormed();
      if (!Array.isArray(v) && isReservedKey(k)) reservedKeys.push(childPath);
      const keyMessage = stringProblem(k);
      if (keyMessage) badStrings.push({ field: childPath, message: `the key ${keyMessage}` });
      children.push([child, depth + 1, childPath]);
    }
    // Last pushed is first walked: reversed, fields are reported in the order they were sent.
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return { tooDeep: false, reservedKeys, badStrings };
}

/** 400 VALIDATION_FAILED for absurdly nested input, before anything recursive walks it. */
export function assertNotTooDeep(value: unknown, field: string): void {
  if (inspectInput(value).tooDeep) {
    throw new ValidationFailed([{ field, message: `nested deeper than ${MAX_REQUEST_NESTING} levels` }]);
  }
}

/**
 * The edge every request's input passes — body, query and path parameters of every route, the
 * signed billing webhook included — after the guards (a bad token or signature is 401 before
 * content is judged) and before any handler. It first refuses what no field may hold, decided
 * here once for every string: invalid Unicode (lone surrogates) and NUL, in values and keys
 * alike, which PostgreSQL cannot store (a 500 at the first query) or would silently change.
 * Then what class-transformer cannot be trusted with: absurdly nested input (a stack overflow,
 * 500) and reserved keys (silently dropped: an unknown field accepted). All are 400
 * VALIDATION_FAILED with the fields named, like any other bad field.
 */
class RequestValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'custom') {
      const { tooDeep, reservedKeys, badStrings } = inspectInput(value, MAX_REQUEST_NESTING, metadata.data ?? '');
      if (tooDeep)
        throw new ValidationFailed([
          { field: metadata.type, message: `nested deeper than ${MAX_REQUEST_NESTING} levels` },
        ]);
      const errors = [
        ...badStrings.map(({ field, message }) => ({ field: field || metadata.type, message })),
        ...reservedKeys.map((field) => ({ field, message: 'unknown field' })),
      ];
      if (errors.length) throw new ValidationFailed(errors);
    }
    return super.transform(value, metadata);
  }
}

/** Request DTO validation: unknown fields are rejected (400), every bad field is listed. */
export function createValidationPipe(): ValidationPipe {
  return new RequestValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    stopAtFirstError: false,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ValidationFailed(flatten(errors)),
  });
}
