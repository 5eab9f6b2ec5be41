import type { OpenAPIObject } from '@nestjs/swagger';

const PROBLEM_JSON = 'application/problem+json';
const PROBLEM_SCHEMA = { $ref: '#/components/schemas/ProblemDetailsDto' };
const WRITE_METHODS = new Set(['post', 'put', 'patch', 'delete']);

type Content = Record<string, { schema?: unknown }>;
type Responses = Record<string, { description?: string; content?: Content }>;

const isError = (status: string) => status === 'default' || /^[45]/.test(status);

/**
 * Makes the OpenAPI document say what the service sends (SPEC §1): every error response of
 * every operation is `application/problem+json` — @nestjs/swagger's response decorators
 * (@ApiBadRequestResponse … in controllers and in platform decorators) declare their `type`
 * under `application/json`, so this is fixed once here, for every decorator present and to
 * come — and every write declares `415 UNSUPPORTED_MEDIA_TYPE` (a body that is not JSON).
 */
export function declareProblemResponses(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths ?? {})) {
    for (const [method, operation] of Object.entries(item as Record<string, { responses?: Responses }>)) {
      if (!operation || typeof operation !== 'object' || !('responses' in operation)) continue;
      const responses = (operation.responses ??= {});
      if (WRITE_METHODS.has(method) && !responses['415']) {
        responses['415'] = { description: 'UNSUPPORTED_MEDIA_TYPE: the request body is not JSON' };
      }
      for (const [status, response] of Object.entries(responses)) {
        if (!isError(status)) continue;
        const content = response.content ?? {};
        const schema = Object.values(content).find((c) => c?.schema)?.schema ?? PROBLEM_SCHEMA;
        response.content = { [PROBLEM_JSON]: { schema } };
      }
    }
  }
  return document;
}
