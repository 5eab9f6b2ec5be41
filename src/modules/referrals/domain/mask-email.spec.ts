import { maskEmail } from './mask-email.js';

describe('maskEmail', () => {
  it.each([
    ['jane@example.com', 'j***@example.com'],
    ['j@example.com', 'j***@example.com'],
    ['Thabo.Mokoena+promo@gmail.com', 'T***@gmail.com'],
    ['not-an-email', 'n***'],
    ['', '***'],
  ])('%s is shown as %s', (email, masked) => {
    expect(maskEmail(email)).toBe(masked);
  });
});
