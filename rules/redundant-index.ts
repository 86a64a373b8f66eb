import { defineRule } from '../src/rule.js';
import { ddlAt, findTable, sameName } from '../src/schema/load.js';
import type { IndexKey, SchemaIndex } from '../src/schema/types.js';
import { mayBeLarge } from '../src/schema/queried.js';

const keyText = (k: IndexKey) => (k.column ?? `(${k.expression})`) + (k.collation ? ` COLLATE "${k.collation}"` : '') + (k.opclass ? ` ${k.opclass}` : '') + (k.desc ? ' DESC' : '');
// `(path text_pattern_ops)` serves LIKE 'x%' under any collation, `(path COLLATE "C")` byte-order ranges: neither covers the other
const sameKey = (a: IndexKey, b: IndexKey) =>
  (a.column !== null && b.column !== null ? sameName(a.column, b.column) : a.expression !== null && a.expression === b.expression) && a.opclass === b.opclass && a.collation === b.collation;

/** `x`'s keys are a leading prefix of `y`'s (sort directions all the same or all reversed). */
function prefixOf(x: SchemaIndex, y: SchemaIndex): boolean {
  if (x.keys.length > y.keys.length || !x.keys.length) return false;
  // a MySQL prefix key indexes only the first characters: it covers a key of no more than its length
  const covers = (k: IndexKey, by: IndexKey) => sameKey(k, by) && (by.prefix === undefined || (k.prefix !== undefined && k.prefix <= by.prefix));
  if (!x.keys.every((k, i) => covers(k, y.keys[i]!))) return false;
  if (x.keys.length === 1) return true;
  const flips = x.keys.map((k, i) => k.desc !== y.keys[i]!.desc);
  return flips.every((f) => f === flips[0]);
}

/** The index that makes `x` redundant, if any. */
export function coveringIndex(x: SchemaIndex, all: SchemaIndex[]): SchemaIndex | undefined {
  if (x.constraint || x.primary) return undefined;
  return all.find((y) => {
    if (y === x || y.method !== x.method || y.implicit) return false;
    // a partial index is smaller than a full one on the same columns: a deliberate choice
    if (y.where !== x.where) return false;
    if (!prefixOf(x, y)) return false;
    // a covering index (INCLUDE) is there for index-only scans: redundant only where y holds those columns too
    const holds = (c: string) => y.keys.some((k) => k.column !== null && sameName(k.column, c)) || (y.include ?? []).some((i) => sameName(i, c));
    if (x.include && !x.include.every(holds)) return false;
    const same = y.keys.length === x.keys.length;
    // a unique index enforces a constraint: redundant only as an exact duplicate of another unique one
    if (x.unique && !(same && y.unique)) return false;
    // of two identical indexes, the later one is reported (a constraint's index always stays)
    if (same && !y.constraint && y.unique === x.unique && y.where === x.where && y.seq > x.seq) return false;
    return true;
  });
}

export default defineRule({
  name: 'redundant-index',
  category: 'performance',
  severity: 'warn',
  constructs: ['schema'],
  recommended: true,
  // an index is defined in migrations: it is judged there, against the final schema
  contexts: ['app', 'migration'],
  tableSize: true,
  ddl: true,
  description: 'Disallow indexes whose columns are a leading prefix of another index on the same table (needs a schema)',
  messages: {
    redundant: 'index {{name}} ({{columns}}) is redundant: {{other}} ({{otherColumns}}) starts with the same columns and serves the same lookups',
  },
  docs: {
    why: 'A B-tree index on (a, b) also serves every lookup and sort on a alone, so a separate index on (a) only costs: it slows every INSERT, UPDATE and DELETE, takes disk and memory, and vacuum must maintain it. A covering index (`INCLUDE (...)`) is redundant only when the longer index also holds the included columns. Reported on the CREATE INDEX; the final schema (all migrations) decides: an index a migration creates and a later one drops, or that only a rollback re-creates, is not reported. Its cost grows with the table, so the CLI and the ESLint plugin report it only on tables the application\'s own SQL queries, or that the config\'s `tables` gives 10,000 rows or more: an index on a small configuration table that an ORM reads by key costs next to nothing.',
    bad: 'CREATE INDEX orders_status_idx ON orders (status);\nCREATE INDEX orders_status_created_idx ON orders (status, created_at)',
    good: 'CREATE INDEX orders_status_created_idx ON orders (status, created_at)',
    schema: 'CREATE TABLE orders (id bigint PRIMARY KEY, status text, created_at timestamptz);',
  },
  check(ctx) {
    const schema = ctx.schema;
    if (!schema || ctx.statement.kind !== 'other') return;
    for (const a of ddlAt(ctx.text, ctx.statement.range, ctx.dialect)) {
      if (a.op !== 'addIndex' || a.index.constraint) continue;
      const t = findTable(schema, a.index.table);
      const x = t?.indexes.find((i) => i.name !== null && a.index.name !== null && sameName(i.name, a.index.name) && i.keys.length === a.index.keys.length && i.keys.every((k, n) => sameKey(k, a.index.keys[n]!)));
      // an extra index costs writes and space in proportion to the table: reported where it may be large
      if (!t || !x || !mayBeLarge(schema, t)) continue;
      const y = coveringIndex(x, t.indexes);
      if (!y) continue;
      ctx.report({ range: a.range, messageId: 'redundant', data: { name: x.name ?? '(unnamed)', columns: x.keys.map(keyText).join(', '), other: y.primary ? `the primary key ${y.name ?? ''}`.trim() : (y.name ?? '(unnamed)'), otherColumns: y.keys.map(keyText).join(', ') } });
    }
  },
});
