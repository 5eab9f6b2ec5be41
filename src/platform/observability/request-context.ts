import { AsyncLocalStorage } from 'node:async_hooks';

/** Per-request context (the request id), carried across awaits for the logs. */
const storage = new AsyncLocalStorage<{ requestId: string }>();

export const requestContext = {
  run<R>(requestId: string, fn: () => R): R {
    return storage.run({ requestId }, fn);
  },
  requestId(): string | undefined {
    return storage.getStore()?.requestId;
  },
};
