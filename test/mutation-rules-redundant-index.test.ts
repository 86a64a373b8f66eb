import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../src/api.js';
import { findings, type RunOptions } from './helpers/rule-findings.js';

// Golden tests for rules/redundant-index.ts (issue 19, mutation testing): the migration is its own
// schema (as `sqlperf lint` judges migrations); the index name's range, the message's key texts,
// which indexes cover another (prefix, directions, method, partial, unique, MySQL prefix keys,
// expressions), which of two duplicates is reported, and small tables.

beforeAll(() => ready());

const RULE = 'redundant-index';
const T = 'CREATE TABLE orders (id int PRIMARY KEY, status text, created_at timestamptz, a int, b int, c text);\n';
const MY = 'CREATE TABLE orders (id int PRIMARY KEY, a int, c varchar(50));\n';
const run = (sql: string, o: RunOptions = {}, table = T) => findings(RULE, table + sql, { ddl: table + sql, schemaFile: true, ...o });
/** Each finding as `line:col name: other`. */
const brief = (sql: string, o: RunOptions = {}, table = T) => run(sql, o, table).map((f) => f.replace(/ index (\S+) .* is redundant: (.*) \(.*$/, ' $1: $2'));
const msg = (name: string, columns: string, other: string, otherColumns: string) => `index ${name} (${columns}) is redundant: ${other} (${otherColumns}) starts with the same columns and serves the same lookups`;

describe('redundant-index: the finding', () => {
  it('marks the index name, with both indexes\' keys (directions, expressions) in the message', () => {
    expect(run('CREATE INDEX o_s ON orders (status);\nCREATE INDEX o_sc ON orders (status, created_at);')).toEqual([`2:14-2:17 ${msg('o_s', 'status', 'o_sc', 'status, created_at')}`]);
    expect(run('CREATE INDEX o_sc ON orders (status, created_at);\nCREATE INDEX o_s ON orders (status);')).toEqual([`3:14-3:17 ${msg('o_s', 'status', 'o_sc', 'status, created_at')}`]);
    expect(run('CREATE INDEX o_ab ON orders (a, b DESC);\nCREATE INDEX o_abc ON orders (a DESC, b, c);')).toEqual([`2:14-2:18 ${msg('o_ab', 'a, b DESC', 'o_abc', 'a DESC, b, c')}`]);
    expect(run('CREATE INDEX o_l ON orders (lower(c));\nCREATE INDEX o_lc ON orders (lower(c), a);')).toEqual([`2:14-2:17 ${msg('o_l', '(lower(c))', 'o_lc', '(lower(c)), a')}`]);
    expect(run('CREATE INDEX o_id ON orders (id);')).toEqual([`2:14-2:18 ${msg('o_id', 'id', 'the primary key orders_pkey', 'id')}`]);
    expect(run('CREATE INDEX ON orders (status);\nCREATE INDEX ON orders (status, created_at);')).toEqual([`2:8-2:13 ${msg('orders_status_idx', 'status', 'orders_status_created_at_idx', 'status, created_at')}`]);
  });

  it('nothing without a schema, or on a table the config says is small', () => {
    expect(findings(RULE, `${T}CREATE INDEX o_s ON orders (status);\nCREATE INDEX o_sc ON orders (status, created_at);`, { schemaFile: true })).toEqual([]);
    expect(run('CREATE INDEX o_s ON orders (status);\nCREATE INDEX o_sc ON orders (status, created_at);', { tables: { orders: { rows: 5 } } })).toEqual([]);
    expect(brief('CREATE INDEX o_s ON orders (status);\nCREATE INDEX o_sc ON orders (status, created_at);', { tables: { orders: { rows: 5_000_000 } } })).toEqual(['2:14-2:17 o_s: o_sc']);
  });
});

describe('redundant-index: which index covers another', () => {
  it('a leading prefix, with the same directions or all reversed; not a later column, not mixed directions', () => {
    expect(brief('CREATE INDEX o_s ON orders (status DESC);\nCREATE INDEX o_sc ON orders (status, created_at);')).toEqual(['2:14-2:17 o_s: o_sc']);
    expect(brief('CREATE INDEX o_ab ON orders (a DESC, b DESC);\nCREATE INDEX o_abc ON orders (a, b, c);')).toEqual(['2:14-2:18 o_ab: o_abc']);
    expect(brief('CREATE INDEX o_ab ON orders (a, b DESC);\nCREATE INDEX o_abc ON orders (a, b, c);')).toEqual([]);
    expect(brief('CREATE INDEX o_b ON orders (b);\nCREATE INDEX o_ab ON orders (a, b);')).toEqual([]);
    expect(brief('CREATE INDEX o_ab ON orders (a, b);\nCREATE INDEX o_acb ON orders (a, c, b);')).toEqual([]);
    expect(brief('CREATE INDEX o_id ON orders (id, a);')).toEqual([]);
    expect(brief('CREATE INDEX o_l ON orders (lower(c));\nCREATE INDEX o_lc ON orders (upper(c), a);')).toEqual([]);
  });

  it('the same method and the same partial condition', () => {
    expect(brief('CREATE INDEX o_s ON orders USING hash (status);\nCREATE INDEX o_sc ON orders (status, created_at);')).toEqual([]);
    expect(brief('CREATE INDEX o_s ON orders (status) WHERE a > 0;\nCREATE INDEX o_sc ON orders (status, created_at);')).toEqual([]);
    expect(brief('CREATE INDEX o_s ON orders (status) WHERE a > 0;\nCREATE INDEX o_sc ON orders (status, created_at) WHERE a > 0;')).toEqual(['2:14-2:17 o_s: o_sc']);
  });

  it('a unique index only as an exact duplicate of a unique one; of two duplicates, the later (a unique one stays)', () => {
    expect(brief('CREATE UNIQUE INDEX o_s ON orders (status);\nCREATE INDEX o_sc ON orders (status, created_at);')).toEqual([]);
    expect(brief('CREATE UNIQUE INDEX o_s ON orders (status);\nCREATE UNIQUE INDEX o_s2 ON orders (status);')).toEqual(['3:21-3:25 o_s2: o_s']);
    expect(brief('CREATE INDEX o_s ON orders (status);\nCREATE INDEX o_s2 ON orders (status);')).toEqual(['3:14-3:18 o_s2: o_s']);
    expect(brief('CREATE UNIQUE INDEX o_s ON orders (status);\nCREATE INDEX o_s2 ON orders (status);')).toEqual(['3:14-3:18 o_s2: o_s']);
    expect(brief('CREATE INDEX o_s ON orders (status);\nCREATE UNIQUE INDEX o_s2 ON orders (status);')).toEqual(['2:14-2:17 o_s: o_s2']);
  });

  it('a constraint\'s index covers a plain one, and is never reported itself', () => {
    expect(brief('CREATE INDEX o_s ON orders (status);\nALTER TABLE orders ADD CONSTRAINT u UNIQUE (status, a);')).toEqual(['2:14-2:17 o_s: u']);
    expect(brief('ALTER TABLE orders ADD CONSTRAINT u UNIQUE (status);\nCREATE INDEX o_sc ON orders (status, created_at);')).toEqual([]);
  });

  it('MySQL prefix keys: covered by a prefix at least as long, or by the whole column', () => {
    const my = (sql: string) => brief(sql, { dialect: 'mysql' }, MY);
    expect(my('CREATE INDEX o_c ON orders (c(10));\nCREATE INDEX o_ca ON orders (c(20), a);')).toEqual(['2:14-2:17 o_c: o_ca']);
    expect(my('CREATE INDEX o_c ON orders (c(10));\nCREATE INDEX o_ca ON orders (c(10), a);')).toEqual(['2:14-2:17 o_c: o_ca']);
    expect(my('CREATE INDEX o_c ON orders (c(20));\nCREATE INDEX o_ca ON orders (c(10), a);')).toEqual([]);
    expect(my('CREATE INDEX o_c ON orders (c);\nCREATE INDEX o_ca ON orders (c(10), a);')).toEqual([]);
    expect(my('CREATE INDEX o_c ON orders (c(10));\nCREATE INDEX o_ca ON orders (c, a);')).toEqual(['2:14-2:17 o_c: o_ca']);
  });

  it('the final schema decides: an index dropped and created again, one the text creates over the schema', () => {
    expect(brief('CREATE INDEX o_s ON orders (status);\nDROP INDEX o_sc;\nCREATE INDEX o_sc ON orders (status, created_at);')).toEqual(['2:14-2:17 o_s: o_sc']);
    // the first o_s is not the schema's o_s, whose second key differs
    expect(brief('CREATE INDEX o_s ON orders (status, a);\nDROP INDEX o_s;\nCREATE INDEX o_s ON orders (status, b);\nCREATE INDEX o_sbc ON orders (status, b, c);')).toEqual(['4:14-4:17 o_s: o_sbc']);
    expect(brief('CREATE INDEX o_n ON nope (a);')).toEqual([]);
    const ddl = `${T}CREATE INDEX o_s ON orders (status);\nCREATE INDEX o_sc ON orders (status, created_at);`;
    expect(findings(RULE, 'CREATE INDEX o_s ON orders (status, a);', { ddl, schemaFile: true })).toEqual([]);
    expect(findings(RULE, 'CREATE INDEX o_s ON orders (status);', { ddl, schemaFile: true })).toEqual([`1:14-1:17 ${msg('o_s', 'status', 'o_sc', 'status, created_at')}`]);
  });
});
