import { defineRule, type Fix } from '../src/rule.js';
import { createIndex } from '../src/indexes.js';
import { ddlAt, sameName } from '../src/schema/load.js';
import type { Range } from '../src/range.js';
import type { ForeignKey, Schema, SchemaTable } from '../src/schema/types.js';
import { mayBeLarge } from '../src/schema/queried.js';

const sameColumns = (a: string[], b: string[]) => a.length === b.length && a.every((c, i) => sameName(c, b[i]!));

/**
 * A "who did it" column (`created_by`, `updated_by_user_id`, `invitedById`): it points at the users
 * table for the record, the application never joins or filters by it, and the user it names is
 * rarely deleted. Judged on real applications, these were the largest class of findings nobody
 * would act on (17 of 36 on one), so they are left out.
 */
const isAuditColumn = (cols: string[]) => cols.length === 1 && (/_by(?:_user)?(?:_id)?$/i.test(cols[0]!) || /[a-z]By(?:User)?(?:Id)?$/.test(cols[0]!));

/**
 * `ON DELETE SET NULL` (or `SET DEFAULT`): an optional reference (a team's avatar image, a
 * project's home dashboard, a claim's mail transport), not ownership. The application follows it
 * from the row to what it names, by that table's key; nothing lists the rows that point at one,
 * and the parent's rare DELETE nulls them in one scan. Judged on real applications, every such
 * finding was noise; the children a parent owns are declared CASCADE or left to RESTRICT.
 */
const isOptionalReference = (fk: ForeignKey) => fk.onDelete === 'set null' || fk.onDelete === 'set default';

/**
 * The final schema's foreign key declared at `range` (same offsets, same columns), if it is the last
 * one with those columns on its table. None when a later migration redefined the table (a SQLite
 * table rebuild, a re-created constraint) or dropped the key: that statement reports it, or nobody.
 */
function finalDefinition(schema: Schema, range: Range, cols: string[]): { table: SchemaTable; fk: ForeignKey } | undefined {
  for (const table of schema.tables.values()) {
    // (the text's own DDL laid over the schema repeats a key at the same offsets: the last one counts)
    const fk = table.foreignKeys.filter((f) => sameColumns(f.columns, cols)).at(-1);
    if (fk?.origin && fk.origin.start === range.start && fk.origin.end === range.end) return { table, fk };
  }
  return undefined;
}

type Index = SchemaTable['indexes'][number];

/** A B-tree index (or primary key) whose leading columns are the key's, in any order. */
function leadsWithAll(i: Index, cols: string[]): boolean {
  return i.method === 'btree' && i.keys.length >= cols.length && cols.every((c) => i.keys.slice(0, cols.length).some((k) => k.column !== null && sameName(k.column, c)));
}

/**
 * A B-tree or hash index on the key's first column: the check on a parent's DELETE (an equality on
 * every key column) finds the rows by that column and filters the rest.
 */
function leadsWithFirst(i: Index, cols: string[]): boolean {
  const first = i.keys[0]?.column;
  return (i.method === 'btree' || i.method === 'hash') && first !== null && first !== undefined && sameName(first, cols[0]!);
}

/**
 * The index, added after the statement that declares the key: a suggestion only, since a migration
 * that has already run is not run again (the index then belongs in a new one).
 */
function indexAfter(text: string, end: number, statement: string): Fix {
  const semicolon = /^[ \t]*;/.exec(text.slice(end, end + 64));
  const at = semicolon ? end + semicolon[0].length : end;
  return { safe: false, description: `Add ${statement} after this statement (in a new migration if this one has already run)`, edits: [{ range: { start: at, end: at }, text: `${semicolon ? '' : ';'}\n${statement}` }] };
}

export default defineRule({
  name: 'unindexed-foreign-key',
  category: 'performance',
  severity: 'warn',
  constructs: ['schema'],
  recommended: true,
  // foreign keys are defined in migrations: judged there, against the final schema
  contexts: ['app', 'migration'],
  tableSize: true,
  ddl: true,
  fixable: 'suggestion',
  description: 'Disallow foreign keys whose columns no index starts with (needs a schema)',
  messages: {
    unindexed: 'foreign key {{table}} ({{columns}}) has no index starting with it: joins from {{refTable}} and every DELETE or key UPDATE on {{refTable}} scan {{table}}; add: {{statement}}',
  },
  docs: {
    why: 'PostgreSQL does not index the referencing side of a foreign key. Joining from the parent, and every DELETE (or key UPDATE) on the parent, which must check for referencing rows, then reads the whole child table, often while holding locks. Reported once per foreign key, on the REFERENCES / FOREIGN KEY where its table is finally defined (not again in each migration that re-creates the table); the final schema (all migrations) decides whether an index exists. An index or primary key serves the key when its leading columns are the key\'s columns, in any order (also when it has more columns after them), or when it leads with the key\'s first column (B-tree or hash). \"Who did it\" columns (`created_by`, `updated_by_user_id`, `invitedById`) are left out: nobody joins by them and the users they name are rarely deleted; so are optional references, declared `ON DELETE SET NULL` or `SET DEFAULT` (an avatar image, a default dashboard): the application follows them from the row, never lists the rows that point at one parent, and the parent\'s rare DELETE nulls them in one scan. Its cost grows with the referencing table, so the CLI and the ESLint plugin report it only on tables the application\'s own SQL queries, or that the config\'s `tables` gives 10,000 rows or more. MySQL (InnoDB) creates such an index by itself.',
    bad: 'CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers (id))',
    good: 'CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers (id));\nCREATE INDEX orders_customer_id_idx ON orders (customer_id)',
    schema: 'CREATE TABLE customers (id bigint PRIMARY KEY);',
  },
  check(ctx) {
    const schema = ctx.schema;
    if (!schema || ctx.statement.kind !== 'other') return;
    let actions: ReturnType<typeof ddlAt>;
    try {
      actions = ddlAt(ctx.text, ctx.statement.range, ctx.dialect);
    } catch {
      // a statement the DDL reader cannot follow (the schema loader skipped it too)
      return;
    }
    for (const a of actions) {
      if (a.op !== 'addForeignKey') continue;
      const cols = a.fk.columns;
      // report a foreign key once, where its table is finally defined: the schema's own record of it
      // came from this statement (a later migration that redefines or drops it takes over)
      const found = finalDefinition(schema, a.range, cols);
      if (!found) continue;
      const t = found.table;
      // a scan of the child costs in proportion to its rows: reported where it may be large
      if (t.kind !== 'table' || !mayBeLarge(schema, t)) continue;
      // an index (or the primary key) whose leading columns are the foreign key's, in any order, serves it
      if (isAuditColumn(cols) || isOptionalReference(found.fk)) continue;
      const covered = t.indexes.some((i) => i.where === null && (leadsWithAll(i, cols) || leadsWithFirst(i, cols)));
      if (covered) continue;
      const statement = createIndex(t.name, null, cols, ctx.dialect);
      ctx.report({ range: a.range, messageId: 'unindexed', data: { table: t.name, columns: cols.join(', '), refTable: a.fk.refTable, statement }, fix: indexAfter(ctx.text, ctx.statement.range.end, statement) });
    }
  },
});
