import type { PgStatement } from '../parse/index.js';
import type { PgNode } from '../parse/pg.js';
import type { Range } from '../range.js';
import { DdlTokens, normalizeExpr } from './tokens.js';
import type { DdlAction, FkAction, IndexKey, SchemaColumn } from './types.js';

type N = PgNode;
export const obj = (v: unknown): N | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as N) : undefined);
export const arr = (v: unknown): N[] => (Array.isArray(v) ? (v as N[]) : []);
function unwrap(n: unknown): [string, N] | undefined {
  const o = obj(n);
  const k = o && Object.keys(o)[0];
  return k ? [k, o[k] as N] : undefined;
}
export const str = (n: unknown): string => {
  const u = unwrap(n);
  return u && u[0] === 'String' ? String(u[1].sval ?? '') : '';
};
const strs = (list: unknown): string[] => arr(list).map(str);

/** libpg-query's one-letter `fk_del_action`. */
const PG_FK_ACTIONS: Record<string, FkAction> = { a: 'no action', r: 'restrict', c: 'cascade', n: 'set null', d: 'set default' };

/** Schema changes in one libpg-query statement; nothing for statements that change no table or index. */
export function readPgDdl(stmt: PgStatement, text: string): DdlAction[] {
  const top = unwrap(stmt.ast);
  if (!top) return [];
  return new PgDdl(stmt, text).read(top[0], top[1]);
}

/** Operator classes that are their type's default for a B-tree: writing one changes nothing. */
const DEFAULT_OPCLASS = /^(?:text|varchar|bpchar|char|name|int[248]|uuid|timestamptz|timestamp|date|time|timetz|interval|numeric|bool|float[48]|bytea|oid|money|inet|cidr|jsonb|array|enum)_ops$/;

/** A key's operator class (when not the default) and collation, as `IndexKey` records them. */
function keyFlavour(e: N): Pick<IndexKey, 'opclass' | 'collation'> {
  const opclass = strs(e.opclass).join('.').toLowerCase();
  const collation = strs(e.collation).join('.');
  return { ...(opclass && !DEFAULT_OPCLASS.test(opclass) ? { opclass } : {}), ...(collation && collation !== 'default' ? { collation } : {}) };
}

class PgDdl {
  private readonly toks: DdlTokens;
  private readonly out: DdlAction[] = [];
  private fkRanges: Range[] | undefined;
  private fkSeen = 0;
  constructor(
    private readonly stmt: PgStatement,
    private readonly text: string,
  ) {
    this.toks = new DdlTokens(stmt.tokens);
  }

  private at(loc: unknown): Range {
    if (typeof loc !== 'number' || loc < 0) return this.stmt.range;
    return this.toks.idx.tokenRangeAt(this.stmt.pos(loc));
  }

  private nextFkRange(fallback: Range): Range {
    this.fkRanges ??= this.toks.foreignKeyRanges();
    return this.fkRanges[this.fkSeen++] ?? fallback;
  }

  read(kind: string, n: N): DdlAction[] {
    switch (kind) {
      case 'CreateStmt':
        this.createTable(n);
        break;
      case 'IndexStmt':
        this.createIndex(n);
        break;
      case 'AlterTableStmt':
        if (n.objtype === 'OBJECT_TABLE' || n.objtype === undefined) this.alterTable(n);
        break;
      case 'RenameStmt':
        this.rename(n);
        break;
      case 'DropStmt':
        this.drop(n);
        break;
      case 'ViewStmt': {
        const rel = obj(n.view) ?? {};
        const cols = strs(n.aliases);
        const sel = selectColumns(n.query);
        this.out.push({ op: 'createTable', kind: 'view', table: String(rel.relname), schema: (rel.schemaname as string) ?? null, temporary: rel.relpersistence === 't', ifNotExists: false, replace: !!n.replace, columns: (cols.length ? cols : (sel ?? [])).map(col), columnsKnown: cols.length > 0 || sel !== null, range: this.at(rel.location) });
        break;
      }
      case 'CreateTableAsStmt': {
        const into = obj(n.into) ?? {};
        const rel = obj(into.rel) ?? {};
        const cols = strs(into.colNames);
        const sel = selectColumns(n.query);
        this.out.push({ op: 'createTable', kind: n.objtype === 'OBJECT_MATVIEW' ? 'view' : 'table', table: String(rel.relname), schema: (rel.schemaname as string) ?? null, temporary: rel.relpersistence === 't', ifNotExists: !!n.if_not_exists, replace: false, columns: (cols.length ? cols : (sel ?? [])).map(col), columnsKnown: cols.length > 0 || sel !== null, range: this.at(rel.location) });
        break;
      }
    }
    return this.out;
  }

  private createTable(n: N) {
    const rel = obj(n.relation) ?? {};
    const table = String(rel.relname);
    const ref = refOf(rel);
    const columns: SchemaColumn[] = [];
    let columnsKnown = !n.inhRelations && !n.partbound;
    const range = this.at(rel.location);
    const later: Array<() => void> = [];
    for (const e of arr(n.tableElts)) {
      const u = unwrap(e);
      if (!u) continue;
      if (u[0] === 'ColumnDef') {
        const c = this.columnDef(u[1]);
        columns.push(c);
        for (const con of arr(u[1].constraints)) later.push(() => this.constraint(ref, unwrap(con)?.[1] ?? {}, [c.name]));
      } else if (u[0] === 'Constraint') later.push(() => this.constraint(ref, u[1], null));
      else if (u[0] === 'TableLikeClause') columnsKnown = false;
    }
    this.out.push({ op: 'createTable', kind: 'table', table, schema: (rel.schemaname as string) ?? null, temporary: rel.relpersistence === 't', ifNotExists: !!n.if_not_exists, replace: false, columns, columnsKnown, range });
    later.forEach((f) => f());
  }

  /** `timestamptz`, `text[]`: an array is not its element type (no boolean skip, no date_trunc). */
  private typeOf(c: N): string {
    const t = obj(c.typeName);
    return strs(t?.names).filter((x) => x !== 'pg_catalog').join('.').toLowerCase() + '[]'.repeat(arr(t?.arrayBounds).length);
  }

  private columnDef(c: N): SchemaColumn {
    const notNull = arr(c.constraints).some((k) => {
      const t = unwrap(k)?.[1]?.contype;
      return t === 'CONSTR_NOTNULL' || t === 'CONSTR_PRIMARY';
    });
    return { name: String(c.colname), type: this.typeOf(c), notNull };
  }

  /** A constraint of the table `ref` (`schema.name` when one is written); `column` is set for a column constraint. */
  private constraint(ref: string, c: N, column: string[] | null) {
    const name = (c.conname as string) ?? null;
    const table = ref.slice(ref.lastIndexOf('.') + 1);
    const range = this.at(c.location);
    switch (c.contype) {
      case 'CONSTR_PRIMARY':
      case 'CONSTR_UNIQUE': {
        const cols = column ?? strs(c.keys);
        const primary = c.contype === 'CONSTR_PRIMARY';
        const idxName = name ?? (primary ? `${table}_pkey` : `${table}_${cols.join('_')}_key`);
        this.out.push({ op: 'addIndex', range, index: { name: idxName, table: ref, keys: cols.map((x) => ({ column: x, expression: null, desc: false })), unique: true, primary, constraint: true, implicit: false, method: 'btree', where: null } });
        break;
      }
      case 'CONSTR_FOREIGN': {
        const pk = obj(c.pktable) ?? {};
        const cols = column ?? strs(c.fk_attrs);
        this.out.push({ op: 'addForeignKey', range: this.nextFkRange(range), fk: { name, table: ref, columns: cols, refTable: refOf(pk), refColumns: strs(c.pk_attrs), onDelete: PG_FK_ACTIONS[String(c.fk_del_action)] ?? 'no action' } });
        break;
      }
    }
  }

  private createIndex(n: N) {
    const rel = obj(n.relation) ?? {};
    const table = String(rel.relname);
    const ref = refOf(rel);
    const keys: IndexKey[] = [];
    for (const p of arr(n.indexParams)) {
      const e = unwrap(p)?.[1];
      if (!e) continue;
      const desc = e.ordering === 'SORTBY_DESC';
      const flavour = keyFlavour(e);
      if (typeof e.name === 'string') keys.push({ column: e.name, expression: null, desc, ...flavour });
      else {
        const start = minLocation(e.expr);
        const t = start === undefined ? undefined : this.toks.exprText(this.text, this.stmt.pos(start));
        keys.push({ column: null, expression: t ? normalizeExpr(t.text) : '?', desc, ...flavour });
      }
    }
    let where: string | null = null;
    if (n.whereClause) {
      const w = this.toks.list.findIndex((t) => t.type === 'ident' && t.value.toUpperCase() === 'WHERE');
      if (w >= 0) where = normalizeExpr(this.text.slice(this.toks.list[w + 1]?.start ?? this.stmt.range.end, this.stmt.range.end));
    }
    const name = typeof n.idxname === 'string' ? n.idxname : null;
    const range = (name && this.toks.nameToken(name)) || this.toks.nameToken('INDEX') || this.stmt.range;
    const include = arr(n.indexIncludingParams).map((p) => unwrap(p)?.[1]?.name).filter((c): c is string => typeof c === 'string');
    this.out.push({ op: 'addIndex', range, index: { name: name ?? `${table}_${keys.map((k) => k.column ?? 'expr').join('_')}_idx`, table: ref, keys, unique: !!n.unique, primary: !!n.primary, constraint: false, implicit: false, method: String(n.accessMethod ?? 'btree').toLowerCase(), where, ...(include.length ? { include } : {}) } });
  }

  private alterTable(n: N) {
    const rel = obj(n.relation) ?? {};
    const table = refOf(rel);
    for (const c of arr(n.cmds)) {
      const cmd = unwrap(c)?.[1];
      if (!cmd) continue;
      const def = unwrap(cmd.def);
      switch (cmd.subtype) {
        case 'AT_AddColumn':
          if (def?.[0] === 'ColumnDef') {
            const column = this.columnDef(def[1]);
            this.out.push({ op: 'addColumn', table, column, range: this.at(def[1].location) });
            for (const con of arr(def[1].constraints)) this.constraint(table, unwrap(con)?.[1] ?? {}, [column.name]);
          }
          break;
        case 'AT_AlterColumnType':
          if (def?.[0] === 'ColumnDef') this.out.push({ op: 'alterColumnType', table, column: String(cmd.name), type: this.typeOf(def[1]), range: this.stmt.range });
          break;
        case 'AT_DropColumn':
          this.out.push({ op: 'dropColumn', table, column: String(cmd.name), range: this.stmt.range });
          break;
        case 'AT_AddConstraint':
          if (def?.[0] === 'Constraint') this.constraint(table, def[1], null);
          break;
        case 'AT_DropConstraint':
          this.out.push({ op: 'dropConstraint', table, name: String(cmd.name), range: this.stmt.range });
          break;
      }
    }
  }

  private rename(n: N) {
    const rel = obj(n.relation) ?? {};
    const range = this.stmt.range;
    switch (n.renameType) {
      case 'OBJECT_TABLE':
      case 'OBJECT_VIEW':
      case 'OBJECT_MATVIEW':
        this.out.push({ op: 'renameTable', table: refOf(rel), to: String(n.newname), range });
        break;
      case 'OBJECT_COLUMN':
        this.out.push({ op: 'renameColumn', table: refOf(rel), from: String(n.subname), to: String(n.newname), range });
        break;
      case 'OBJECT_INDEX':
        this.out.push({ op: 'renameIndex', from: String(rel.relname), to: String(n.newname), range });
        break;
      case 'OBJECT_TABCONSTRAINT':
        this.out.push({ op: 'renameIndex', from: String(n.subname), to: String(n.newname), range });
        break;
    }
  }

  private drop(n: N) {
    const range = this.stmt.range;
    for (const o of arr(n.objects)) {
      const parts = strs(unwrap(o)?.[1]?.items);
      const name = parts[parts.length - 1];
      if (!name) continue;
      if (n.removeType === 'OBJECT_TABLE' || n.removeType === 'OBJECT_VIEW' || n.removeType === 'OBJECT_MATVIEW') this.out.push({ op: 'dropTable', table: parts.slice(-2).join('.'), range });
      else if (n.removeType === 'OBJECT_INDEX') this.out.push({ op: 'dropIndex', name, table: null, range });
    }
  }
}

/** A RangeVar as the schema finds it: `schema.name` when a schema is written (findTable reads both). */
function refOf(rel: N): string {
  return typeof rel.schemaname === 'string' && rel.schemaname ? `${rel.schemaname}.${String(rel.relname)}` : String(rel.relname);
}

function col(name: string): SchemaColumn {
  return { name, type: '', notNull: false };
}

function minLocation(node: unknown): number | undefined {
  let min: number | undefined;
  const visit = (v: unknown) => {
    if (Array.isArray(v)) return v.forEach(visit);
    const o = obj(v);
    if (!o) return;
    for (const [k, x] of Object.entries(o)) {
      if (k === 'location' && typeof x === 'number' && x >= 0) min = min === undefined ? x : Math.min(min, x);
      else if (typeof x === 'object') visit(x);
    }
  };
  visit(node);
  return min;
}

/** Output column names of a SELECT as PostgreSQL names them; null when a `*` makes them unknown. */
function selectColumns(q: unknown): string[] | null {
  let s = unwrap(q)?.[1];
  while (s && s.op && s.op !== 'SETOP_NONE') s = obj(s.larg);
  if (!s) return null;
  const out: string[] = [];
  for (const t of arr(s.targetList)) {
    const r = unwrap(t)?.[1];
    if (!r) continue;
    if (typeof r.name === 'string') {
      out.push(r.name);
      continue;
    }
    const name = exprName(r.val);
    if (name === null) return null;
    out.push(name);
  }
  return out;
}

function exprName(v: unknown): string | null {
  const u = unwrap(v);
  if (!u) return '?column?';
  const [k, n] = u;
  if (k === 'ColumnRef') {
    const fields = arr(n.fields);
    const last = unwrap(fields[fields.length - 1]);
    if (!last || last[0] === 'A_Star') return null;
    return str(fields[fields.length - 1]);
  }
  if (k === 'FuncCall') {
    const f = strs(n.funcname);
    return f[f.length - 1] ?? '?column?';
  }
  if (k === 'TypeCast') return exprName(n.arg);
  return '?column?';
}
