import type { Dialect } from '../dialect.js';
import { isDoBlock, readDoBlock } from './ddl-do-block.js';
import { DEFAULT_LIMITS, forEachStatement, parseText, type ParsedStatement } from '../parse/index.js';
import type { Token } from '../parse/lexer.js';
import type { Range } from '../range.js';
import { readNspDdl } from './ddl-nsp.js';
import { readPgDdl } from './ddl-pg.js';
import { readUnparsedDdl } from './ddl-unparsed.js';
import { orderMigrationFiles } from './order.js';
import type { DdlAction, Schema, SchemaFile, SchemaIndex, SchemaTable, TableStats } from './types.js';
import { errorMessage } from '../error-message.js';

export interface LoadSchemaOptions {
  /** Known table sizes, e.g. `{ orders: { rows: 50_000_000 } }`; they feed the cost model and missing-index. */
  tables?: Record<string, TableStats>;
  /** Apply the files in the order given instead of migration order (`orderMigrationFiles`). */
  keepOrder?: boolean;
}

/**
 * Schema changes of one statement (empty for queries and for DDL that changes no table or index).
 * A statement the parser rejected is read from its tokens when it is an index statement the
 * dialect's grammar lacks (see readUnparsedDdl); that needs the dialect.
 */
export function readDdl(stmt: ParsedStatement, text: string, dialect?: Dialect): DdlAction[] {
  if (stmt.parser === 'none') return dialect ? readUnparsedDdl(stmt, text, dialect, readDdl) : [];
  if (stmt.parser === 'pg') return isDoBlock(stmt) ? readDoBlock(stmt, text) : readPgDdl(stmt, text);
  if (stmt.parser === 'nsp' && typeof stmt.ast.type === 'string' && /^(create|alter|drop|rename)$/.test(stmt.ast.type)) return readNspDdl(stmt, text);
  return [];
}

/**
 * Down-migration sections (`-- migrate:down`, `-- +migrate Down`, `-- +goose Down`) are blanked
 * out so that only the up part applies; offsets stay the same.
 */
export function upSection(text: string): string {
  const m = /^[ \t]*--[ \t]*(?:migrate:down|\+migrate[ \t]+down|\+goose[ \t]+down)\b/im.exec(text);
  if (!m) return text;
  return text.slice(0, m.index) + text.slice(m.index).replace(/[^\r\n]/g, ' ');
}

export function emptySchema(dialect: Dialect): Schema {
  return { dialect, tables: new Map(), files: [], warnings: [] };
}

/**
 * Builds the schema from DDL files, without a database: migrations are applied in migration
 * order (timestamps and numbered prefixes compared as numbers), statements that do not parse are
 * reported once each in `warnings` and skipped, and everything else still loads. Statements that
 * change no table or index (INSERT, SET, CREATE FUNCTION...) are ignored.
 * PostgreSQL needs its parser loaded first (`await ready()`).
 */
const SCHEMA_VERBS = new Set(['CREATE', 'ALTER', 'DROP', 'RENAME']);

/** The statement starts with a verb that can change tables or indexes, or with something else than a word. */
function changesSchema(tokens: readonly Token[]): boolean {
  const first = tokens.find((t) => t.type !== 'comment');
  return first?.type !== 'ident' || SCHEMA_VERBS.has(first.value.toUpperCase());
}

export function loadSchema(files: readonly SchemaFile[], dialect: Dialect, options: LoadSchemaOptions = {}): Schema {
  const schema = emptySchema(dialect);
  const order = options.keepOrder ? files.map((f) => f.path) : orderMigrationFiles(files.map((f) => f.path));
  const byPath = new Map(files.map((f) => [f.path, f]));
  const applier = new Applier(schema);
  for (const path of order) {
    const file = byPath.get(path);
    if (!file) continue;
    schema.files.push(path);
    const text = upSection(file.text);
    for (const stmt of parseText(text, dialect).statements) {
      if (stmt.parser === 'none') {
        const read = readDdl(stmt, text, dialect);
        for (const a of read) applier.apply(a, path);
        const partial = read.length === 1 && read[0]!.op === 'createTable' && !read[0]!.columnsKnown;
        // a statement that cannot change a table or an index (PRAGMA, SET, INSERT...) is ignored, read or not
        if ((!read.length && changesSchema(stmt.tokens)) || partial) schema.warnings.push({ file: path, start: stmt.error.range.start, end: stmt.error.range.end, message: `statement ${partial ? 'loaded as a table of unknown columns' : 'not loaded into the schema'}: ${stmt.error.message}` });
        continue;
      }
      let actions: DdlAction[];
      try {
        actions = readDdl(stmt, text);
      } catch (e) {
        schema.warnings.push({ file: path, start: stmt.range.start, end: stmt.range.end, message: `statement not loaded into the schema: ${errorMessage(e)}` });
        continue;
      }
      for (const a of actions) applier.apply(a, path);
    }
  }
  // a foreign key to a table no file creates (checked at the end: a dump may create tables after the keys to them)
  for (const t of schema.tables.values()) {
    for (const f of t.foreignKeys) if (!findTable(schema, f.refTable)) (schema.uncreated ??= new Set()).add(f.refTable.toLowerCase());
  }
  for (const [name, stats] of Object.entries(options.tables ?? {})) {
    const t = findTable(schema, name);
    if (t && stats.rows !== undefined) t.rows = stats.rows;
  }
  return schema;
}

/** Schemas a table is in when none is written: such a table's key in `Schema.tables` is its bare name. */
const DEFAULT_SCHEMAS = new Set(['public', 'main', 'dbo']);
/** PostgreSQL's own schemas: a project's DDL never creates tables there. */
const SYSTEM_SCHEMAS = new Set(['pg_catalog', 'information_schema']);

/**
 * A table's key in `Schema.tables`: `name` in the default schema (or none), `schema.name` in any
 * other, so that `billing.invoices` and `public.invoices` are two tables.
 */
export function tableKey(name: string, schemaName: string | null): string {
  return schemaName && !DEFAULT_SCHEMAS.has(schemaName.toLowerCase()) ? `${schemaName}.${name}` : name;
}

/**
 * A table or view by name (exact first, then ignoring case). `qualifier` is its schema, or else a
 * `schema.name` says it. A name without one is looked for in the default schema, then in any schema
 * (search_path); one with a schema only there, or, for a schema the DDL never names, in a table
 * created without a schema (the migrations may set search_path). `auth.users` is not `public.users`.
 */
export function findTable(schema: Schema, name: string, qualifier?: string | null): SchemaTable | undefined {
  const dot = qualifier ? -1 : name.lastIndexOf('.');
  const q = qualifier || (dot > 0 ? name.slice(0, dot) : null);
  const bare = dot > 0 ? name.slice(dot + 1) : name;
  if (q === null) return byKey(schema, bare) ?? inAnySchema(schema, bare);
  const lq = q.toLowerCase();
  if (DEFAULT_SCHEMAS.has(lq)) return byKey(schema, bare);
  const hit = byKey(schema, `${q}.${bare}`);
  if (hit || SYSTEM_SCHEMAS.has(lq) || namesSchema(schema, q)) return hit;
  const unqualified = byKey(schema, bare);
  return unqualified?.schema === null ? unqualified : undefined;
}

function byKey(schema: Schema, key: string): SchemaTable | undefined {
  const exact = schema.tables.get(key);
  if (exact) return exact;
  const l = key.toLowerCase();
  for (const [k, t] of schema.tables) if (k.toLowerCase() === l) return t;
  return undefined;
}

function inAnySchema(schema: Schema, bare: string): SchemaTable | undefined {
  for (const t of schema.tables.values()) if (sameName(t.name, bare)) return t;
  return undefined;
}

/** A schema other than the default that no DDL statement creates a table in (`auth`, `extensions`): the project does not manage it. */
export function unmanagedSchema(schema: Schema, q: string | null): boolean {
  return q !== null && !DEFAULT_SCHEMAS.has(q.toLowerCase()) && !namesSchema(schema, q);
}

function namesSchema(schema: Schema, q: string): boolean {
  for (const t of schema.tables.values()) if (t.schema !== null && sameName(t.schema, q)) return true;
  return false;
}

const keyOf = (t: SchemaTable) => tableKey(t.name, t.schema);

export function sameName(a: string, b: string): boolean {
  return a === b || a.toLowerCase() === b.toLowerCase();
}

/** Applies DDL actions to a schema in place. */
export class Applier {
  private seq = 0;
  constructor(
    private readonly schema: Schema,
    /** Only add (tables, columns, indexes): used for a query file's own DDL on top of a loaded schema. */
    private readonly additive = false,
  ) {
    for (const t of schema.tables.values()) for (const i of t.indexes) this.seq = Math.max(this.seq, i.seq + 1);
  }

  apply(a: DdlAction, file: string): void {
    // a table is created under its own key: `CREATE TABLE invoices` is not `billing.invoices`
    const table = a.op === 'createTable' ? byKey(this.schema, tableKey(a.table, a.schema)) : 'table' in a && a.table ? findTable(this.schema, a.table) : undefined;
    if (!this.additive) this.noteUncreated(a);
    if (this.add(a, table, file) || this.additive) return;
    this.change(a, table);
  }

  /** A change to a table no statement created: evidence that the files are not the whole schema. */
  private noteUncreated(a: DdlAction): void {
    const name = a.op === 'addIndex' ? a.index.table : a.op === 'addForeignKey' ? a.fk.table : a.op === 'addColumn' || a.op === 'dropColumn' || a.op === 'alterColumnType' || a.op === 'renameColumn' || a.op === 'renameTable' ? a.table : null;
    if (name && !findTable(this.schema, name)) (this.schema.uncreated ??= new Set()).add(name.toLowerCase());
  }

  /** Creates a table or adds to one (a column, an index, a foreign key); false for other actions. */
  private add(a: DdlAction, table: SchemaTable | undefined, file: string): boolean {
    const s = this.schema;
    const pos = (r: Range) => ({ file, start: r.start, end: r.end });
    switch (a.op) {
      case 'createTable': {
        if (table && (a.ifNotExists || this.additive)) {
          for (const c of a.columns) if (!table.columns.some((x) => sameName(x.name, c.name))) table.columns.push(c);
          return true;
        }
        if (table) s.tables.delete(keyOf(table));
        s.tables.set(tableKey(a.table, a.schema), { name: a.table, schema: a.schema, kind: a.kind, temporary: a.temporary, columns: [...a.columns], columnsKnown: a.columnsKnown, indexes: [], foreignKeys: [], origin: pos(a.range) });
        return true;
      }
      case 'addColumn':
        if (table && !table.columns.some((c) => sameName(c.name, a.column.name))) table.columns.push(a.column);
        return true;
      case 'addIndex': {
        const t = findTable(s, a.index.table);
        if (!t) return true;
        if (a.index.primary) t.indexes = t.indexes.filter((i) => !i.primary);
        else if (a.index.name && t.indexes.some((i) => i.name !== null && sameName(i.name, a.index.name!))) return true;
        const idx: SchemaIndex = { ...a.index, table: t.name, seq: this.seq++, origin: pos(a.range) };
        t.indexes.push(idx);
        return true;
      }
      case 'addForeignKey': {
        const t = findTable(s, a.fk.table);
        if (!t) return true;
        t.foreignKeys.push({ ...a.fk, table: t.name, origin: pos(a.range) });
        // InnoDB creates an index for a foreign key that no index starts with
        if ((s.dialect === 'mysql' || s.dialect === 'mariadb') && !t.indexes.some((i) => a.fk.columns.every((c, k) => i.keys[k]?.column && sameName(i.keys[k]!.column!, c)))) {
          t.indexes.push({ name: a.fk.name ?? a.fk.columns.join('_'), table: t.name, keys: a.fk.columns.map((c) => ({ column: c, expression: null, desc: false })), unique: false, primary: false, constraint: true, implicit: true, method: 'btree', where: null, seq: this.seq++, origin: pos(a.range) });
        }
        return true;
      }
    }
    return false;
  }

  /** Drops or renames (tables, columns, indexes, constraints): not for a query file's own DDL. */
  private change(a: DdlAction, table: SchemaTable | undefined): void {
    const s = this.schema;
    switch (a.op) {
      case 'dropColumn':
        if (!table) return;
        table.columns = table.columns.filter((c) => !sameName(c.name, a.column));
        // PostgreSQL drops the indexes and constraints that use the column
        table.indexes = table.indexes.filter((i) => !i.keys.some((k) => k.column !== null && sameName(k.column, a.column)));
        table.foreignKeys = table.foreignKeys.filter((f) => !f.columns.some((c) => sameName(c, a.column)));
        return;
      case 'alterColumnType':
        if (!table) return;
        for (const c of table.columns) if (sameName(c.name, a.column)) c.type = a.type;
        return;
      case 'renameColumn':
        if (!table) return;
        for (const c of table.columns) if (sameName(c.name, a.from)) c.name = a.to;
        for (const i of table.indexes) for (const k of i.keys) if (k.column !== null && sameName(k.column, a.from)) k.column = a.to;
        for (const f of table.foreignKeys) f.columns = f.columns.map((c) => (sameName(c, a.from) ? a.to : c));
        return;
      case 'renameTable':
        if (!table) return;
        s.tables.delete(keyOf(table));
        table.name = a.to;
        for (const i of table.indexes) i.table = a.to;
        for (const f of table.foreignKeys) f.table = a.to;
        s.tables.set(keyOf(table), table);
        return;
      case 'dropTable':
        if (table) s.tables.delete(keyOf(table));
        return;
      case 'dropIndex':
        for (const t of s.tables.values()) {
          if (a.table && !sameName(t.name, a.table)) continue;
          t.indexes = t.indexes.filter((i) => i.name === null || !sameName(i.name, a.name));
        }
        return;
      case 'renameIndex':
        for (const t of s.tables.values()) {
          for (const i of t.indexes) if (i.name !== null && sameName(i.name, a.from)) i.name = a.to;
          for (const f of t.foreignKeys) if (f.name !== null && sameName(f.name, a.from)) f.name = a.to;
        }
        return;
      case 'dropConstraint':
        if (!table) return;
        table.indexes = table.indexes.filter((i) => !(i.constraint && i.name !== null && sameName(i.name, a.name)));
        table.foreignKeys = table.foreignKeys.filter((f) => f.name === null || !sameName(f.name, a.name));
        return;
      case 'dropPrimaryKey':
        if (table) table.indexes = table.indexes.filter((i) => !i.primary);
        return;
    }
  }
}

/** A deep copy, so that overlays never change the loaded schema. */
export function cloneSchema(s: Schema): Schema {
  const tables = new Map<string, SchemaTable>();
  for (const [k, t] of s.tables) {
    tables.set(k, { ...t, columns: t.columns.map((c) => ({ ...c })), indexes: t.indexes.map((i) => ({ ...i, keys: i.keys.map((x) => ({ ...x })) })), foreignKeys: t.foreignKeys.map((f) => ({ ...f, columns: [...f.columns], refColumns: [...f.refColumns] })) });
  }
  return { ...s, tables, files: [...s.files], warnings: [...s.warnings], ...(s.uncreated ? { uncreated: new Set(s.uncreated) } : {}) };
}

const overlays = new WeakMap<Schema, { text: string; dialect: Dialect; schema: Schema }>();

/**
 * The schema as a SQL text sees it: the loaded schema plus the tables, columns and indexes the
 * text creates itself (temporary tables, a migration's own DDL). Only additions apply, wherever
 * they stand in the text. Cached for the last text per schema.
 */
export function schemaForText(schema: Schema, text: string, dialect: Dialect): Schema {
  const hit = overlays.get(schema);
  if (hit && hit.text === text && hit.dialect === dialect) return hit.schema;
  let out = schema;
  if (/\b(create|alter)\b/i.test(text)) {
    out = cloneSchema(schema);
    const applier = new Applier(out, true);
    // one statement at a time: a text of a million statements is never held parsed at once
    forEachStatement(text, dialect, DEFAULT_LIMITS, (stmt) => {
      try {
        for (const a of readDdl(stmt, text, dialect)) applier.apply(a, '<text>');
      } catch {
        // a statement the DDL reader cannot follow adds nothing
      }
    });
  }
  overlays.set(schema, { text, dialect, schema: out });
  return out;
}

/** Schema changes in the statement of `text` at `range`, with ranges into `text`. */
export function ddlAt(text: string, range: Range, dialect: Dialect): DdlAction[] {
  const slice = text.slice(range.start, range.end);
  if (!/^\s*(create|alter|drop|rename|do)\b/i.test(slice)) return [];
  const out: DdlAction[] = [];
  for (const stmt of parseText(slice, dialect).statements) {
    for (const a of readDdl(stmt, slice, dialect)) out.push(shift(a, range.start));
  }
  return out;
}

function shift(a: DdlAction, by: number): DdlAction {
  return { ...a, range: { start: a.range.start + by, end: a.range.end + by } };
}
