/** The two small pages of the unsubscribe link (no script, inline styles, one form). */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${escapeHtml(title)} · CircleTel</title>
    <style>
      body { margin: 0; font-family: Arial, Helvetica, sans-serif; background: #f4f5f7; color: #1f2933; }
      main { max-width: 480px; margin: 48px auto; background: #fff; border-radius: 8px; padding: 24px; }
      h1 { font-size: 22px; margin: 0 0 16px; }
      button { background: #e8590c; color: #fff; border: 0; border-radius: 6px; padding: 12px 20px; font-size: 16px; cursor: pointer; }
    </style>
  </head>
  <body>
    <main>
      <h1>${escapeHtml(title)}</h1>
      ${body}
    </main>
  </body>
</html>
`;
}

export function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}
