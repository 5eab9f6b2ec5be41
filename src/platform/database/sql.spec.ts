import { joinSql, sql, SqlStatement } from './sql.js';

describe('sql tag', () => {
  it('binds every value as a numbered parameter, never in the text', () => {
    const s = sql`SELECT * FROM t WHERE a = ${"x'); DROP TABLE t; --"} AND b = ${2}`;
    expect(s).toBeInstanceOf(SqlStatement);
    expect(s.text).toBe('SELECT * FROM t WHERE a = $1 AND b = $2');
    expect(s.values).toEqual(["x'); DROP TABLE t; --", 2]);
  });

  it('inlines fragments and renumbers their parameters', () => {
    const conditions = [sql`a = ${1}`, sql`b = ${2} AND c = ${3}`, sql`d IS NULL`];
    const s = sql`SELECT ${'x'} FROM t WHERE ${joinSql(conditions, ' AND ')} LIMIT ${10}`;
    expect(s.text).toBe('SELECT $1 FROM t WHERE a = $2 AND b = $3 AND c = $4 AND d IS NULL LIMIT $5');
    expect(s.values).toEqual(['x', 1, 2, 3, 10]);
  });

  it('renumbers parameters of two digits inside fragments', () => {
    const many = sql(['', ...Array.from({ length: 10 }, () => ', '), ''], ...Array.from({ length: 11 }, (_, i) => i));
    expect(many.text).toBe('$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11');
    const s = sql`${'first'} ${many}`;
    expect(s.text).toBe('$1 $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12');
    expect(s.values).toEqual(['first', ...Array.from({ length: 11 }, (_, i) => i)]);
  });

  it('joins nothing to an empty fragment', () => {
    expect(joinSql([], ' AND ')).toEqual(new SqlStatement('', []));
    expect(joinSql([sql`a = ${1}`], ' AND ').text).toBe('a = $1');
  });
});
