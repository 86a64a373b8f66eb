import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../src/api.js';
import { findings } from './helpers/rule-findings.js';

// Golden tests for rules/unknown-table.ts (issue 19, mutation testing): the name's range (quoted,
// after a qualifier), the did-you-mean hint, every FROM item and DML target, and the names it does
// not check (schema objects, CTEs, system tables, the embedder's placeholders).

beforeAll(() => ready());

const RULE = 'unknown-table';
const DDL = 'CREATE TABLE users (id int); CREATE TABLE orders (id int); CREATE VIEW v AS SELECT 1;';
const o = { ddl: DDL };
const unknown = (name: string, best?: string) => `table ${name} is not in the schema${best ? `; did you mean ${best}?` : ''}`;

describe('unknown-table', () => {
  it('marks each unknown name, with the nearest known one when there is one', () => {
    expect(findings(RULE, 'SELECT 1 FROM userz', o)).toEqual([`1:15-1:20 ${unknown('userz', 'users')}`]);
    expect(findings(RULE, 'SELECT 1 FROM users u JOIN zzz_qqq ON true, public."Orderz"', o)).toEqual([`1:28-1:35 ${unknown('zzz_qqq')}`, `1:52-1:60 ${unknown('Orderz', 'orders')}`]);
    expect(findings(RULE, 'INSERT INTO ordrs VALUES (1)', o)).toEqual([`1:13-1:18 ${unknown('ordrs', 'orders')}`]);
    expect(findings(RULE, 'UPDATE ordrs SET a = 1 FROM usrs', o)).toEqual([`1:8-1:13 ${unknown('ordrs', 'orders')}`, `1:29-1:33 ${unknown('usrs', 'users')}`]);
  });

  it('nothing without a schema, or when the migrations change a table they never create', () => {
    expect(findings(RULE, 'SELECT 1 FROM userz')).toEqual([]);
    expect(findings(RULE, 'SELECT 1 FROM nope', { ddl: 'ALTER TABLE other ADD COLUMN a int; CREATE TABLE users (id int);' })).toEqual([]);
  });

  it('not tables and views of the schema in any case, CTEs, derived tables, functions, system tables', () => {
    expect(findings(RULE, 'SELECT 1 FROM v, users, ORDERS', o)).toEqual([]);
    expect(findings(RULE, 'WITH x AS (SELECT 1) SELECT 1 FROM x, (SELECT 1) d, generate_series(1,2) g', o)).toEqual([]);
    expect(findings(RULE, 'SELECT 1 FROM pg_class, information_schema.tables, dual, schema_migrations, DUAL, pg_catalog.foo, pg_temp.t', o)).toEqual([]);
  });

  it('not the embedder\'s placeholders, in a name, its schema or a CTE name', () => {
    for (const sql of ['SELECT 1 FROM __sqlperf_p1', 'SELECT 1 FROM __sqlperf_t', 'SELECT 1 FROM x__sqlperf_p1', 'SELECT 1 FROM __sqlperf_x.users2', 'WITH __sqlperf_p1 AS (SELECT 1) SELECT 1 FROM nope']) expect(findings(RULE, sql, o), sql).toEqual([]);
  });
});
