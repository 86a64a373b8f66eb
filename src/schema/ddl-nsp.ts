import { nameOf } from '../model/nsp-builder.js';
import type { NspStatement } from '../parse/index.js';
import type { Range } from '../range.js';
import { DdlTokens, normalizeExpr } from './tokens.js';
import type { DdlAction, FkAction, IndexKey, SchemaColumn } from './types.js';

type N = Record<string, unknown>;
const obj = (v: unknown): N | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as N) : undefined);
const arr = (v: unknown): N[] => (Array.isArray(v) ? (v as N[]) : v && typeof v === 'object' ? [v as N] : []);
const lower = (v: unknown) => String(v ?? '').toLowerCase();
const FK_ACTIONS = new Set<string>(['no action', 'restrict', 'cascade', 'set null', 'set default']);

/** node-sql-parser's `on_action: [{ type: 'on delete', value: { value: 'set null' } }]`. */
function onDeleteOf(ref: N): FkAction {
  for (const a of arr(ref.on_action)) {
    const o = obj(a);
    const v = String(obj(o?.value)?.value ?? o?.value ?? '').toLowerCase();
    if (o?.type === 'on delete' && FK_ACTIONS.has(v)) return v as FkAction;
  }
  return 'no action';
}

/** An index name: a string in most dialects, `{ schema, name }` in SQLite's AST. */
const indexName = (v: unknown): string | null => (typeof v === 'string' ? v : typeof (v as { name?: unknown } | null)?.name === 'string' ? (v as { name: string }).name : null);

/** Schema changes in one node-sql-parser statement (`create`, `alter`, `drop`, `rename`). */
export function readNspDdl(stmt: NspStatement, text: string): DdlAction[] {
  return new NspDdl(stmt, text).read();
}

function tableName(t: unknown): { table: string; schema: string | null } {
  const o = obj(Array.isArray(t) ? t[0] : t) ?? {};
  return { table: nameOf(o.table) ?? '', schema: nameOf(o.db) || null };
}

/** A column's name, read as the query model reads it (nameOf), so that the schema and the queries agree. */
function columnName(c: unknown): string {
  return nameOf(obj(c)?.column) ?? '';
}

class NspDdl {
  private readonly toks: DdlTokens;
  private readonly out: DdlAction[] = [];
  private fkRanges: Range[] | undefined;
  private fkSeen = 0;
  constructor(
    private readonly stmt: NspStatement,
    private readonly text: string,
  ) {
    this.toks = new DdlTokens(stmt.tokens);
  }

  private locRange(n: unknown): Range | undefined {
    const loc = obj(obj(n)?.loc);
    const s = obj(loc?.start)?.offset;
    const e = obj(loc?.end)?.offset;
    return typeof s === 'number' && typeof e === 'number' ? { start: this.stmt.pos(s), end: this.stmt.pos(e) } : undefined;
  }

  private nextFkRange(): Range {
    this.fkRanges ??= this.toks.foreignKeyRanges();
    return this.fkRanges[this.fkSeen++] ?? this.stmt.range;
  }

  read(): DdlAction[] {
    const a = this.stmt.ast;
    const kw = lower(a.keyword);
    if (a.type === 'create' && kw === 'table') this.createTable(a);
    else if (a.type === 'create' && kw === 'index') {
      const { table } = tableName(a.table);
      const using = arr(a.index_options).find((o) => lower(o.keyword) === 'using');
      const method = lower(a.index_type) === 'fulltext' || lower(a.index_type) === 'spatial' ? lower(a.index_type) : lower(obj(a.index_using)?.type ?? using?.type ?? 'btree') || 'btree';
      const name = indexName(a.index);
      this.index(table, name, arr(a.index_columns), { kind: lower(a.index_type) === 'unique' ? 'unique index' : 'index', method, range: this.idxRange(name), where: a.where ? this.whereText() : null });
    } else if (a.type === 'create' && kw === 'view') {
      const { table, schema } = tableName(a.view && { table: obj(a.view)?.view, db: obj(a.view)?.db });
      const cols = arr(a.columns).map((c) => (typeof c === 'string' ? (nameOf(c) ?? '') : columnName(c)));
      const sel = selectColumns(a.select);
      this.out.push({ op: 'createTable', kind: 'view', table, schema, temporary: false, ifNotExists: false, replace: !!a.replace, columns: (cols.length ? cols : (sel ?? [])).map(col), columnsKnown: cols.length > 0 || sel !== null, range: this.toks.nameToken(table) ?? this.stmt.range });
    } else if (a.type === 'alter') this.alter(a);
    else if (a.type === 'drop' && kw === 'table') {
      for (const t of arr(a.name)) this.out.push({ op: 'dropTable', table: String(t.table), range: this.stmt.range });
    } else if (a.type === 'drop' && kw === 'index') {
      this.out.push({ op: 'dropIndex', name: columnName(a.name) || String(a.name), table: tableName(a.table).table || null, range: this.stmt.range });
    } else if (a.type === 'rename') {
      for (const pair of Array.isArray(a.table) ? (a.table as unknown[]) : []) {
        if (Array.isArray(pair) && pair.length === 2) this.out.push({ op: 'renameTable', table: tableName(pair[0]).table, to: tableName(pair[1]).table, range: this.stmt.range });
      }
    }
    return this.out;
  }

  /** A partial index's condition (SQLite, T-SQL filtered indexes): the text after the top-level WHERE, normalised as the PostgreSQL loader does. */
  private whereText(): string | null {
    const list = this.toks.list;
    const w = list.findIndex((t) => t.type === 'ident' && t.value.toUpperCase() === 'WHERE');
    const from = list[w + 1];
    return w < 0 || !from ? null : normalizeExpr(this.text.slice(from.start, this.stmt.range.end));
  }

  private idxRange(name: string | null): Range {
    return (name && this.toks.nameToken(name)) || this.toks.nameToken('INDEX') || this.toks.nameToken('KEY') || this.stmt.range;
  }

  private columnDef(d: N): SchemaColumn {
    const def = obj(d.definition) ?? {};
    return { name: columnName(d.column), type: lower(def.dataType), notNull: lower(obj(d.nullable)?.type) === 'not null' || !!d.primary_key };
  }

  private createTable(a: N) {
    const { table, schema } = tableName(a.table);
    const columns: SchemaColumn[] = [];
    const later: Array<() => void> = [];
    let columnsKnown = true;
    if (a.like) columnsKnown = false;
    const sel = a.query_expr ? selectColumns(a.query_expr) : null;
    if (a.query_expr) {
      if (sel) columns.push(...sel.map(col));
      else columnsKnown = false;
    }
    for (const d of arr(a.create_definitions)) {
      if (d.resource === 'column') {
        const c = this.columnDef(d);
        columns.push(c);
        later.push(() => this.columnConstraints(table, c.name, d));
      } else later.push(() => this.definition(table, d));
    }
    this.out.push({ op: 'createTable', kind: 'table', table, schema, temporary: !!a.temporary, ifNotExists: !!a.if_not_exists, replace: false, columns, columnsKnown, range: this.toks.nameToken(table) ?? this.stmt.range });
    later.forEach((f) => f());
  }

  private columnConstraints(table: string, column: string, d: N) {
    const keys = [{ type: 'column_ref', column }];
    const range = this.locRange(d.column) ?? this.stmt.range;
    if (d.primary_key) this.index(table, 'PRIMARY', keys, { kind: 'primary key', range });
    if (d.unique) this.index(table, column, keys, { kind: 'unique key', range });
    const ref = obj(d.reference_definition);
    if (ref) this.fk(table, null, [column], ref);
  }

  private fk(table: string, name: string | null, columns: string[], ref: N) {
    this.out.push({ op: 'addForeignKey', range: this.nextFkRange(), fk: { name, table, columns, refTable: tableName(ref.table).table, refColumns: arr(ref.definition).map(columnName), onDelete: onDeleteOf(ref) } });
  }

  /** An index, key or constraint definition inside CREATE TABLE or ALTER TABLE ADD. */
  private definition(table: string, d: N) {
    const type = lower(d.constraint_type);
    const cols = arr(d.definition);
    if (d.resource === 'index') {
      const kw = lower(d.keyword);
      const method = kw.startsWith('fulltext') ? 'fulltext' : kw.startsWith('spatial') ? 'spatial' : 'btree';
      const name = (d.index as string) ?? null;
      this.index(table, name, cols, { kind: 'index', method, range: (name && this.toks.nameToken(name)) || this.locRange(cols[0]) || this.stmt.range });
    } else if (type === 'primary key') this.index(table, 'PRIMARY', cols, { kind: 'primary key', range: this.locRange(cols[0]) ?? this.stmt.range });
    else if (type.startsWith('unique')) {
      const name = (d.index as string) ?? (d.constraint as string) ?? null;
      this.index(table, name, cols, { kind: 'unique key', range: (name && this.toks.nameToken(name)) || this.locRange(cols[0]) || this.stmt.range });
    } else if (type === 'foreign key') {
      const ref = obj(d.reference_definition);
      if (ref) this.fk(table, (d.constraint as string) ?? (d.index as string) ?? null, cols.map(columnName), ref);
    }
  }

  /**
   * An index or key: `primary key` and `unique key` are constraints (their index is the constraint's),
   * `unique index` and `index` are CREATE INDEX or MySQL's KEY / INDEX.
   */
  private index(table: string, name: string | null, cols: N[], how: { kind: 'primary key' | 'unique key' | 'unique index' | 'index'; method?: string; range: Range; where?: string | null }) {
    const { kind, method = 'btree', range, where = null } = how;
    const primary = kind === 'primary key';
    const unique = kind !== 'index';
    const constraint = kind === 'primary key' || kind === 'unique key';
    const keys: IndexKey[] = cols.map((c) => {
      const desc = lower(c.order_by) === 'desc';
      if (c.type === 'column_ref') {
        // ALTER TABLE ... ADD INDEX (name(10)): the prefix length comes as a suffix
        const prefix = typeof c.suffix === 'string' ? /^\((\d+)\)$/.exec(c.suffix)?.[1] : undefined;
        return { column: columnName(c), expression: null, desc, ...(prefix ? { prefix: Number(prefix) } : {}) };
      }
      // SQLite: a quoted column name with COLLATE can come as a quoted string
      if (c.type === 'double_quote_string' && typeof c.value === 'string') return { column: c.value, expression: null, desc };
      // MySQL prefix key `name(10)` parses as a call of `name`
      const fn = obj(c.name);
      const callee = arr(fn?.name).map((p) => String(p.value ?? ''));
      const args = arr(obj(c.args)?.value);
      if (c.type === 'function' && !c.parentheses && callee.length === 1 && args.length === 1 && args[0]!.type === 'number') return { column: callee[0]!, expression: null, desc, prefix: Number(args[0]!.value) };
      const r = this.locRange(c);
      const t = r ? this.text.slice(r.start, r.end) : callee.length ? `${callee.join('.')}(${args.map((x) => columnName(x) || String(x.value ?? '')).join(',')})` : '?';
      return { column: null, expression: normalizeExpr(t), desc };
    });
    const fallbackName = name ?? (keys[0]?.column ?? null);
    this.out.push({ op: 'addIndex', range, index: { name: fallbackName, table, keys, unique, primary, constraint, implicit: false, method, where } });
  }

  private alter(a: N) {
    const { table } = tableName(a.table);
    for (const e of arr(a.expr)) {
      const action = lower(e.action);
      const resource = lower(e.resource);
      if (action === 'add' && resource === 'column') {
        const column = this.columnDef(e);
        this.out.push({ op: 'addColumn', table, column, range: this.locRange(e.column) ?? this.stmt.range });
        this.columnConstraints(table, column.name, e);
      } else if (action === 'add' && resource === 'index') this.definition(table, e);
      else if (action === 'add' && resource === 'constraint') {
        const d = obj(e.create_definitions);
        if (d) this.definition(table, d);
      } else if (action === 'drop' && resource === 'column') this.out.push({ op: 'dropColumn', table, column: columnName(e.column), range: this.stmt.range });
      else if (action === 'drop' && resource === 'index') this.out.push({ op: 'dropIndex', name: indexName(e.index) ?? String(e.index), table, range: this.stmt.range });
      else if (action === 'drop' && resource === 'key') {
        const kw = lower(e.keyword);
        if (kw === 'primary key') this.out.push({ op: 'dropPrimaryKey', table, range: this.stmt.range });
        else if (kw === 'foreign key') this.out.push({ op: 'dropConstraint', table, name: String(e.key), range: this.stmt.range });
        else this.out.push({ op: 'dropIndex', name: String(e.key), table, range: this.stmt.range });
      } else if (action === 'drop' && resource === 'constraint') this.out.push({ op: 'dropConstraint', table, name: String(e.constraint ?? e.name ?? ''), range: this.stmt.range });
      else if (action === 'rename' && resource === 'table') this.out.push({ op: 'renameTable', table, to: typeof e.table === 'string' ? e.table : tableName(e.table).table, range: this.stmt.range });
      else if (action === 'rename' && resource === 'column') this.out.push({ op: 'renameColumn', table, from: columnName(e.old_column), to: columnName(e.column), range: this.stmt.range });
      else if (action === 'change' && resource === 'column') {
        const from = columnName(e.old_column);
        const to = columnName(e.column);
        if (from && to && from !== to) this.out.push({ op: 'renameColumn', table, from, to, range: this.stmt.range });
      }
    }
  }
}

function col(name: string): SchemaColumn {
  return { name, type: '', notNull: false };
}

/** Output column names of a node-sql-parser SELECT; null when a `*` makes them unknown. */
function selectColumns(q: unknown): string[] | null {
  const s = obj(q);
  const cols = s?.columns;
  if (!Array.isArray(cols)) return null;
  const out: string[] = [];
  for (const c of cols as N[]) {
    if (typeof c.as === 'string' && c.as) {
      out.push(c.as);
      continue;
    }
    const e = obj(c.expr) ?? {};
    if (e.type === 'column_ref') {
      const n = columnName(e);
      if (n === '*' || !n) return null;
      out.push(n);
    } else if (e.type === 'star' || c.expr === '*') return null;
    else out.push('?column?');
  }
  return out;
}
