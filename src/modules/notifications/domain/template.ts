/**
 * The templates' one feature: `{{name}}` is replaced by a variable — HTML-escaped in the HTML
 * part — and `{{{name}}}` by the variable as it is (only for markup the renderer made itself, such
 * as a part's body inside the layout). A name without a value is an error, never an empty hole.
 */
export function fillTemplate(template: string, variables: Record<string, string>, format: 'text' | 'html'): string {
  return template.replace(/\{\{(\{?)\s*([A-Za-z][A-Za-z0-9_]*)\s*\}?\}\}/g, (_match, raw: string, name: string) => {
    const value = variables[name];
    if (value === undefined) throw new Error(`template variable {{${name}}} has no value`);
    return raw || format === 'text' ? value : escapeHtml(value);
  });
}

export function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/** The four files of one e-mail kind: its parts and the layout both parts are wrapped in. */
export interface TemplateFiles {
  /** `<kind>.txt`: first line `Subject: …`, a blank line, then the plain-text body. */
  text: string;
  /** `<kind>.html`: the HTML body (a fragment). */
  html: string;
  layoutText: string;
  layoutHtml: string;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/**
 * One e-mail from its templates. The layouts receive `content` (the part's body), `subject` and
 * every variable (the greeting name, the unsubscribe link).
 */
export function renderEmail(files: TemplateFiles, variables: Record<string, string>): RenderedEmail {
  const match = /^Subject:[ \t]*(.*)\r?\n\r?\n([\s\S]*)$/.exec(files.text);
  if (!match) throw new Error('a text template starts with "Subject: …" and a blank line');
  const subject = fillTemplate(match[1]!.trim(), variables, 'text');
  const all = { ...variables, subject };
  const text = fillTemplate(files.layoutText, { ...all, content: fillTemplate(match[2]!, all, 'text').trim() }, 'text');
  const html = fillTemplate(
    files.layoutHtml,
    { ...all, content: fillTemplate(files.html, all, 'html').trim() },
    'html',
  );
  return { subject, text, html };
}
