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

/**
 * Walks `value` without recursion: too deep (more than `max` levels)? the paths of reserved keys,
 * and of strings (values or keys) holding NUL, which PostgreSQL text cannot store.
 */
export function inspectInput(
  value: unknown,
  max = MAX_REQUEST_NESTING,
  root = '',
): { tooDeep: boolean; reservedKeys: string[]; nulStrings: string[] } {
  const reservedKeys: string[] = [];
  const nulStrings: string[] = [];
  const stack: [unknown, number, string][] = [[value, 0, root]];
  while (stack.length > 0) {
    const [v, depth, path] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) nulStrings.push(path);
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth >= max) return { tooDeep: true, reservedKeys, nulStrings };
    for (const [k, child] of Object.entries(v)) {
      const childPath = path ? `${path}.${k}` : k;
      if (!Array.isArray(v) && isReservedKey(k)) reservedKeys.push(childPath);
      if (k.includes('\u0000')) nulStrings.push(childPath);
      stack.push([child, depth + 1, childPath]);
    }
  }
  return { tooDeep: false, reservedKeys, nulStrings };
}

/** 400 VALIDATION_FAILED for absurdly nested input, before anything recursive walks it. */
export function assertNotTooDeep(value: unknown, field: string): void {
  if (inspectInput(value).tooDeep) {
    throw new ValidationFailed([{ field, message: `nested deeper than ${MAX_REQUEST_NESTING} levels` }]);
  }
}

/**
 * ValidationPipe that first refuses what class-transformer cannot be trusted with — absurdly
 * nested input (a stack overflow, 500), reserved keys (silently dropped: an unknown field
 * accepted) — and NUL characters, which no column can store (a 500 at the first query). All are
 * 400 VALIDATION_FAILED like any other bad field.
 */
class RequestValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'custom') {
      const { tooDeep, reservedKeys, nulStrings } = inspectInput(value, MAX_REQUEST_NESTING, metadata.data ?? '');
      if (tooDeep)
        throw new ValidationFailed([
          { field: metadata.type, message: `nested deeper than ${MAX_REQUEST_NESTING} levels` },
        ]);
      const errors = [
        ...reservedKeys.map((field) => ({ field, message: 'unknown field' })),
        ...nulStrings.map((field) => ({ field: field || metadata.type, message: 'must not contain NUL characters' })),
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
