/**
 * POPIA: a referrer sees who they referred, not their contact details. `jane@example.com` →
 * `j***@example.com`. Something that is not an address shows only its first character.
 */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  const first = Array.from(email)[0] ?? '';
  if (at <= 0) return `${first}***`;
  return `${first}***${email.slice(at)}`;
}
