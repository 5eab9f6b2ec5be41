import { ActionKey, problemInWords } from './api.js';

describe('problemInWords', () => {
  it('gives the API detail, then each field error, then what to do for a code whose remedy is known', () => {
    expect(
      problemInWords({
        status: 400,
        code: 'VALIDATION_FAILED',
        detail: 'The request is not valid.',
        errors: [
          { field: 'reason', message: 'reason must be longer than or equal to 3 characters' },
          { field: 'asOf', message: 'must be a date' },
        ],
      }),
    ).toBe('The request is not valid. reason must be longer than or equal to 3 characters; asOf: must be a date.');
    expect(problemInWords({ status: 403, code: 'FORBIDDEN', detail: 'Missing permission: referrals:manage.' })).toBe(
      'Missing permission: referrals:manage. Your account is not allowed to do this. Ask an administrator for the permission.',
    );
    expect(problemInWords({ status: 502, code: 'HTTP_502', detail: '' })).toBe('The service answered 502.');
  });
});

describe('ActionKey', () => {
  it('keeps one key for the same action until it is done, and makes a new one for another body or after done()', () => {
    const key = new ActionKey();
    const first = key.for({ reason: 'Goodwill' });
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(key.for({ reason: 'Goodwill' })).toBe(first); // a double click, a retry
    const edited = key.for({ reason: 'Goodwill, confirmed' });
    expect(edited).not.toBe(first); // the API refuses a key reused for another body
    key.done();
    expect(key.for({ reason: 'Goodwill, confirmed' })).not.toBe(edited);
  });
});
