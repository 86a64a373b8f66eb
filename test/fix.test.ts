import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, loadSchema, ready, rules, type Dialect, type Schema } from '../src/api.js';
import { applyFixes, mergeFix } from '../src/fix/apply.js';
import { lintHostSource } from '../src/embed/index.js';
import type { Diagnostic, Fix } from '../src/rule.js';

beforeAll(() => ready());

const DDL = `CREATE TABLE users (id int PRIMARY KEY, email text, name text);
CREATE TABLE orders (id int PRIMARY KEY, user_id int, total int);
CREATE TABLE bans (id int PRIMARY KEY, user_id int, reason text);`;

const schemaOf = (dialect: Dialect): Schema => loadSchema([{ path: 'schema.sql', text: DDL }], dialect);

function only(rule: string) {
  return Object.fromEntries(rules.map((r) => [r.name, r.name === rule ? 'warn' : 'off'])) as never;
}

function findings(rule: string, sql: string, dialect: Dialect): Diagnostic[] {
  return analyze(sql, { dialect, rules: only(rule), schema: schemaOf(dialect) }).diagnostics;
}

/** Applies the rule's fixes: the result must parse with the dialect's parser and the rule must be silent on it. */
function fixed(rule: string, sql: string, dialect: Dialect): { output: string; fixes: Fix[] } {
  const ds = findings(rule, sql, dialect);
  expect(ds.map((d) => d.ruleId)).toContain(rule);
  const fixes = ds.flatMap((d) => (d.fix ? [d.fix] : []));
  const { output } = applyFixes(sql, fixes);
  const after = analyze(output, { dialect, rules: only(rule), schema: schemaOf(dialect) });
  expect(after.statements.every((s) => s.error === null), `${output} parses`).toBe(true);
  expect(after.diagnostics.filter((d) => d.ruleId === rule)).toEqual([]);
  return { output, fixes };
}

describe.each(['postgresql', 'mysql', 'sqlite'] as const)('fixes in %s', (dialect) => {
  it('prefer-exists: (SELECT COUNT(*) ...) > 0 becomes EXISTS, = 0 NOT EXISTS, both safe', () => {
    const sql = 'SELECT id FROM users u WHERE (SELECT COUNT(*) FROM orders o WHERE o.user_id = u.id) > 0 AND 0 = (SELECT COUNT(1) AS n FROM bans b WHERE b.user_id = u.id)';
    const { output, fixes } = fixed('prefer-exists', sql, dialect);
    expect(output).toBe('SELECT id FROM users u WHERE EXISTS (SELECT 1 FROM orders o WHERE o.user_id = u.id) AND NOT EXISTS (SELECT 1 AS n FROM bans b WHERE b.user_id = u.id)');
    expect(fixes.map((f) => f.safe)).toEqual([true, true]);
  });

  it('prefer-exists: a direct COUNT(*) > 0 in the select list is reported without a fix', () => {
    const ds = findings('prefer-exists', 'SELECT COUNT(*) > 0 FROM orders WHERE user_id = 3', dialect);
    expect(ds.map((d) => [d.ruleId, d.fix])).toEqual([['prefer-exists', undefined]]);
  });

  it('require-insert-columns: the first n columns of the table, by position', () => {
    const { output } = fixed('require-insert-columns', "INSERT INTO users VALUES (1, 'a@b.c'), (2, 'd@e.f')", dialect);
    expect(output).toBe("INSERT INTO users (id, email) VALUES (1, 'a@b.c'), (2, 'd@e.f')");
  });

  it('require-insert-columns: no fix for a table the schema does not know, or more values than columns', () => {
    expect(findings('require-insert-columns', 'INSERT INTO audit VALUES (1, 2)', dialect).map((d) => d.fix)).toEqual([undefined]);
    expect(findings('require-insert-columns', 'INSERT INTO users VALUES (1, 2, 3, 4)', dialect).map((d) => d.fix)).toEqual([undefined]);
  });

  it('no-select-star: * and t.* become the columns of the schema, qualified over a join', () => {
    expect(fixed('no-select-star', 'SELECT * FROM orders WHERE total > 5', dialect).output).toBe('SELECT id, user_id, total FROM orders WHERE total > 5');
    expect(fixed('no-select-star', 'SELECT o.*, u.email FROM orders o JOIN users u ON u.id = o.user_id WHERE o.total > 5', dialect).output).toBe('SELECT o.id, o.user_id, o.total, u.email FROM orders o JOIN users u ON u.id = o.user_id WHERE o.total > 5');
    expect(fixed('no-select-star', 'SELECT * FROM orders o JOIN users u ON u.id = o.user_id WHERE o.total > 5', dialect).output).toBe('SELECT o.id, o.user_id, o.total, u.id, u.email, u.name FROM orders o JOIN users u ON u.id = o.user_id WHERE o.total > 5');
  });

  it('no-select-star: no fix over a table the schema does not know, nor over a USING join', () => {
    expect(findings('no-select-star', 'SELECT * FROM events WHERE kind = 1', dialect).map((d) => d.fix)).toEqual([undefined]);
    expect(findings('no-select-star', 'SELECT * FROM orders JOIN bans USING (user_id) WHERE total > 5', dialect).map((d) => d.fix)).toEqual([undefined]);
  });

  it('no-not-in-subquery: NOT EXISTS with the correlated condition, as a suggestion only', () => {
    const sql = 'SELECT id FROM users WHERE id NOT IN (SELECT user_id FROM bans WHERE reason = 1) AND email NOT IN (SELECT b.reason FROM bans b)';
    const ds = findings('no-not-in-subquery', sql, dialect);
    expect(ds.map((d) => d.fix?.safe)).toEqual([false, false]);
    const { output } = fixed('no-not-in-subquery', sql, dialect);
    expect(output).toBe('SELECT id FROM users WHERE NOT EXISTS (SELECT 1 FROM bans WHERE (reason = 1) AND user_id = users.id) AND NOT EXISTS (SELECT 1 FROM bans b WHERE b.reason = users.email)');
  });

  it('no-not-in-subquery: no suggestion when the subquery aggregates, or its table would capture the outer name', () => {
    const ds = findings('no-not-in-subquery', 'SELECT id FROM users u WHERE u.id NOT IN (SELECT max(user_id) FROM bans) AND u.id NOT IN (SELECT user_id FROM bans u)', dialect);
    expect(ds.map((d) => d.fix)).toEqual([undefined, undefined]);
  });
});

describe('fixes in a JS/TS template literal', () => {
  // loaded in the test, after ready(): PostgreSQL's parser reads the DDL
  const lint = (code: string) => lintHostSource(code, 'a.ts', { rules: { 'no-select-star': 'warn', 'prefer-exists': 'warn', 'require-insert-columns': 'warn', 'no-not-in-subquery': 'warn' }, schema: schemaOf('postgresql') }).diagnostics;
  const apply = (code: string) => applyFixes(code, lint(code).flatMap((d) => (d.fix?.safe ? [d.fix] : []))).output;

  it('edits land at host offsets and leave ${} holes as they are', () => {
    const code = 'const q = sql`\n  SELECT * FROM orders\n  WHERE total > ${min} AND (SELECT COUNT(*) FROM bans b WHERE b.user_id = ${uid}) > 0`;\nawait sql`INSERT INTO users VALUES (${id}, ${email})`;\n';
    expect(apply(code)).toBe('const q = sql`\n  SELECT id, user_id, total FROM orders\n  WHERE total > ${min} AND EXISTS (SELECT 1 FROM bans b WHERE b.user_id = ${uid})`;\nawait sql`INSERT INTO users (id, email) VALUES (${id}, ${email})`;\n');
  });

  it('a NOT EXISTS suggestion keeps a hole inside the subquery (edits on either side of it)', () => {
    const code = 'db.query(`SELECT id FROM users WHERE id NOT IN (SELECT user_id FROM bans WHERE reason = ${r})`);\n';
    const [d] = lint(code).filter((x) => x.ruleId === 'no-not-in-subquery');
    expect(d!.fix!.safe).toBe(false);
    expect(mergeFix(code, d!.fix!)).toEqual({ range: [code.indexOf('id NOT IN'), code.indexOf('${r}') + 4], text: 'NOT EXISTS (SELECT 1 FROM bans WHERE (reason = ${r}) AND user_id = users.id' });
    expect(applyFixes(code, [d!.fix!]).output).toBe('db.query(`SELECT id FROM users WHERE NOT EXISTS (SELECT 1 FROM bans WHERE (reason = ${r}) AND user_id = users.id)`);\n');
  });

  it('a fix whose edit covers a hole is dropped: the finding stays, without a fix', () => {
    // the first edit replaces `${col} NOT IN ` by `NOT EXISTS `: the hole would be lost
    const code = 'db.query(`SELECT id FROM users WHERE ${col} NOT IN (SELECT user_id FROM bans)`);\n';
    const ds = lint(code).filter((x) => x.ruleId === 'no-not-in-subquery');
    expect(ds.map((d) => [d.start, d.end, d.fix])).toEqual([[code.indexOf('NOT IN'), code.indexOf('NOT IN') + 6, undefined]]);
  });

  it('CRLF lines and an escaped backtick: edits beside the escape land right, one over it is dropped', () => {
    const lintMy = (code: string) => lintHostSource(code, 'a.ts', { dialect: 'mysql', rules: { 'no-select-star': 'warn', 'no-not-in-subquery': 'warn' }, schema: schemaOf('mysql') }).diagnostics;
    const code = 'db.query(`SELECT *\r\nFROM orders\r\nWHERE total > 5 AND id NOT IN (SELECT \\`user_id\\` FROM bans)`);\r\n';
    const ds = lintMy(code);
    expect(ds.map((d) => [d.ruleId, d.start, Boolean(d.fix)])).toEqual([
      ['no-select-star', code.indexOf('*'), true],
      // the subquery's output is written with escaped backticks: copying it into the condition would need them escaped again
      ['no-not-in-subquery', code.indexOf('NOT IN'), false],
    ]);
    expect(applyFixes(code, ds.flatMap((d) => (d.fix ? [d.fix] : []))).output).toBe(code.replace('*', 'id, user_id, total'));
  });
});

describe('unindexed-foreign-key: the index as a suggestion after the statement that declares the key', () => {
  it.each(['postgresql', 'sqlite'] as const)('%s: the suggestion parses and the rule is silent after it', (dialect) => {
    const sql = 'CREATE TABLE refunds (id int PRIMARY KEY, order_id int REFERENCES orders (id));\nSELECT 1;';
    const { output, fixes } = fixed('unindexed-foreign-key', sql, dialect);
    expect(output).toBe('CREATE TABLE refunds (id int PRIMARY KEY, order_id int REFERENCES orders (id));\nCREATE INDEX idx_refunds_order_id ON refunds (order_id);\nSELECT 1;');
    expect(fixes.map((f) => [f.safe, f.description])).toEqual([[false, 'Add CREATE INDEX idx_refunds_order_id ON refunds (order_id); after this statement (in a new migration if this one has already run)']]);
  });

  it('a statement without its semicolon gets one before the index', () => {
    const { output } = fixed('unindexed-foreign-key', 'ALTER TABLE bans ADD CONSTRAINT bans_user_fkey FOREIGN KEY (user_id) REFERENCES users (id)', 'postgresql');
    expect(output).toBe('ALTER TABLE bans ADD CONSTRAINT bans_user_fkey FOREIGN KEY (user_id) REFERENCES users (id);\nCREATE INDEX idx_bans_user_id ON bans (user_id);');
  });
});
