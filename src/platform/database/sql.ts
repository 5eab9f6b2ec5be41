/**
 * The `sql` tag: a statement and its parameters, values always bound ($1, $2 …), never spliced
 * into the text. A value that is itself a `sql` fragment is inlined with its parameters
 * renumbered, so optional conditions compose. node-postgres serialises values: Date →
 * timestamptz, arrays → PostgreSQL arrays, objects → JSON, bigint → its decimal text.
 */
export class SqlStatement {
  constructor(
    readonly text: string,
    readonly values: unknown[],
  ) {}
}

export function sql(strings: TemplateStringsArray | readonly string[], ...values: unknown[]): SqlStatement {
  let text = strings[0]!;
  const bound: unknown[] = [];
  for (let i = 1; i < strings.length; i++) {
    const value = values[i - 1];
    if (value instanceof SqlStatement) {
      const offset = bound.length;
      text += value.text.replace(/\$(\d+)/g, (_m, n: string) => `$${Number(n) + offset}`);
      bound.push(...value.values);
    } else {
      bound.push(value);
      text += `$${bound.length}`;
    }
    text += strings[i];
  }
  return new SqlStatement(text, bound);
}

/** Fragments joined by a separator (e.g. conditions by ' AND '). */
export function joinSql(fragments: SqlStatement[], separator: string): SqlStatement {
  if (fragments.length === 0) return new SqlStatement('', []);
  return sql(['', ...fragments.slice(1).map(() => separator), ''], ...fragments);
}

/** A trusted identifier or keyword spliced into the text (never client input). */
export function raw(text: string): SqlStatement {
  return new SqlStatement(text, []);
}
