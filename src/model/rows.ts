import { findTable, sameName } from '../schema/load.js';
import { SMALL_TABLE_ROWS } from '../schema/match.js';
import type { Schema, SchemaTable } from '../schema/types.js';
import type { ColumnExpr, Expr, QueryBlock, TableRef } from './types.js';
import { BlockMemo } from './memo.js';
import { conjuncts, hasAggregate, unwrapCast, walkExpr } from './walk.js';

/**
 * How many rows a query block reads or returns, estimated from the query alone (and the schema's
 * keys and configured table sizes when there is one):
 * - `one`: at most one row (equality on every column of the primary key or of a unique key; on a
 *   column named `id` when the schema does not know the table; LIMIT 1; an aggregate without
 *   GROUP BY; one VALUES row; a CTE or derived table that is one of these; no FROM at all);
 * - `small`: a bounded handful (tables the config says are small, a VALUES list, the elements of an
 *   array or JSON value, a LIMIT up to 1000);
 * - `many`: anything else.
 * Rules that warn about per-row cost read it instead of guessing: a correlated subquery under a
 * one-row query runs once, a cross join with a one-row relation multiplies nothing.
 * Estimates are memoised per block (and schema).
 */
export type Rows = 'one' | 'small' | 'many';

const RANK: Record<Rows, number> = { one: 0, small: 1, many: 2 };

/** A LIMIT up to this many rows makes a result small. */
export const SMALL_LIMIT = 1000;

/** The larger of some estimates (`one` when none). */
export function maxRows(...list: Rows[]): Rows {
  return list.reduce<Rows>((a, b) => (RANK[b] > RANK[a] ? b : a), 'one');
}

export interface BlockRows {
  /** Rows after FROM / JOIN / WHERE, before grouping, DISTINCT and LIMIT: what the block reads. */
  joined: Rows;
  /** Rows before LIMIT / OFFSET (after grouping): what an OFFSET skips through. */
  beforeLimit: Rows;
  /** Rows the block returns. */
  returned: Rows;
  /**
   * Per FROM / JOIN relation (and the DML target), in the order written: `one` when it yields one
   * row by itself or its key is fixed by constants, outer columns or the relations before it (it
   * multiplies nothing); otherwise its own rows (`sourceRows`).
   */
  relations: Map<TableRef, Rows>;
}

const NO_SCHEMA = {};
const cache = new BlockMemo<Map<object, BlockRows>>();

/** Every estimate of a block, computed once per block and schema. */
export function blockRows(block: QueryBlock, schema?: Schema): BlockRows {
  const key = schema ?? NO_SCHEMA;
  let m = cache.get(block);
  if (!m) cache.set(block, (m = new Map()));
  let r = m.get(key);
  if (!r) {
    // a recursive reference (a CTE reading itself) sees `many` while it is being computed
    m.set(key, { joined: 'many', beforeLimit: 'many', returned: 'many', relations: new Map() });
    r = compute(block, schema);
    m.set(key, r);
  }
  return r;
}

/** The rows a block returns. */
export function rowsOf(block: QueryBlock, schema?: Schema): Rows {
  return blockRows(block, schema).returned;
}

/** The rows a block reads: FROM and WHERE applied, before grouping and LIMIT. */
export function rowsRead(block: QueryBlock, schema?: Schema): Rows {
  return blockRows(block, schema).joined;
}

/** The rows a relation of `block`'s FROM / JOIN (or its DML target) multiplies the rows before it by (see `BlockRows.relations`). */
export function relationRows(block: QueryBlock, t: TableRef, schema?: Schema): Rows {
  return blockRows(block, schema).relations.get(t) ?? sourceRows(t, schema);
}

/** The rows a FROM item yields on its own, before any condition: table size, or the rows of its query. */
export function sourceRows(t: TableRef, schema?: Schema): Rows {
  if (t.hole) return 'many';
  switch (t.kind) {
    case 'table': {
      const st = schema && t.name ? findTable(schema, t.name, t.schema) : undefined;
      return st?.rows !== undefined && st.rows < SMALL_TABLE_ROWS ? (st.rows <= 1 ? 'one' : 'small') : 'many';
    }
    case 'cte':
      return t.cte && !t.cte.recursive ? rowsOf(t.cte.query, schema) : 'many';
    case 'derived':
    case 'values':
      return t.query ? rowsOf(t.query, schema) : t.kind === 'values' ? 'small' : 'many';
    case 'function':
      // the elements of an array or JSON value: as many as the value holds
      return t.name && ARRAY_FUNCTIONS.test(t.name) ? 'small' : 'many';
    default:
      return 'many';
  }
}

const ARRAY_FUNCTIONS = /^(unnest|json_array_elements|jsonb_array_elements|json_array_elements_text|jsonb_array_elements_text|json_each|jsonb_each|json_each_text|jsonb_each_text|json_object_keys|jsonb_object_keys|json_to_recordset|jsonb_to_recordset|json_populate_recordset|jsonb_populate_recordset|json_table|openjson|string_split)$/i;

function literalNumber(e: Expr | null): number | undefined {
  if (!e) return undefined;
  const v = unwrapCast(e);
  return v.type === 'literal' && typeof v.value === 'number' ? v.value : v.type === 'literal' && typeof v.value === 'string' && /^\d+$/.test(v.value) ? Number(v.value) : undefined;
}

/** Set-returning functions that make a FROM-less SELECT return many rows. */
const SET_RETURNING = /^(unnest|generate_series|generate_subscripts|json_each|jsonb_each|json_each_text|jsonb_each_text|json_array_elements|jsonb_array_elements|json_array_elements_text|jsonb_array_elements_text|json_object_keys|jsonb_object_keys|regexp_matches|regexp_split_to_table|string_to_table|json_to_recordset|jsonb_to_recordset|json_populate_recordset|jsonb_populate_recordset|jsonb_path_query)$/;

function setReturning(e: Expr): boolean {
  let found = false;
  walkExpr(e, (x) => {
    if (x.type === 'func' && SET_RETURNING.test(x.name)) found = true;
    return !found;
  });
  return found;
}

function compute(b: QueryBlock, schema?: Schema): BlockRows {
  const relations = new Map<TableRef, Rows>();
  const limited = (rows: Rows): Rows => {
    const n = literalNumber(b.limit);
    if (n === undefined) return rows;
    const cap: Rows = n <= 1 ? 'one' : n <= SMALL_LIMIT ? 'small' : 'many';
    return RANK[cap] < RANK[rows] ? cap : rows;
  };
  if (b.type === 'setop' && b.setOp) {
    const { branches, operators } = b.setOp;
    let rows: Rows;
    if (operators.every((o) => o.op !== 'union')) rows = rowsOf(branches[0]!, schema);
    else {
      rows = maxRows(...branches.map((x) => rowsOf(x, schema)));
      // two one-row branches make up to two rows
      if (rows === 'one' && branches.length > 1) rows = 'small';
    }
    return { joined: rows, beforeLimit: rows, returned: limited(rows), relations };
  }
  if (b.type === 'values') {
    const rows: Rows = b.values.length <= 1 ? 'one' : 'small';
    return { joined: rows, beforeLimit: rows, returned: limited(rows), relations };
  }
  if (b.type === 'insert') {
    const source = b.children.find((c) => c.context === 'insert-source');
    const rows: Rows = source ? rowsOf(source, schema) : b.values.length <= 1 ? 'one' : 'small';
    return { joined: rows, beforeLimit: rows, returned: rows, relations };
  }
  const sources = [...(b.target ? [b.target] : []), ...b.from];
  let joined: Rows;
  if (!sources.length) joined = b.selectItems.some((s) => setReturning(s.expr)) ? 'many' : 'one';
  else joined = joinRows(b, sources, relations, schema);
  let beforeLimit = joined;
  // an aggregate without GROUP BY returns one row, whatever it reads
  if (b.type === 'select' && b.groupBy.length === 0 && (b.having !== null || b.selectItems.some((s) => hasAggregate(s.expr)))) beforeLimit = 'one';
  if (b.type === 'select' && sources.length && b.selectItems.some((s) => setReturning(s.expr))) beforeLimit = 'many';
  return { joined, beforeLimit, returned: limited(beforeLimit), relations };
}

/** One `col = expr` fact: the relation whose column is fixed, the column, and the relations `expr` reads (null: unknown). */
interface EqFact {
  rel: TableRef;
  column: string;
  deps: Set<TableRef> | null;
}

function joinRows(b: QueryBlock, sources: TableRef[], relations: Map<TableRef, Rows>, schema?: Schema): Rows {
  const facts: EqFact[] = [];
  const conds: Expr[] = [...conjuncts(b.where)];
  for (const j of b.joins) {
    // the ON of a RIGHT or FULL join does not restrict the rows of the tables before it
    if (j.kind === 'right' || j.kind === 'full') continue;
    conds.push(...conjuncts(j.on));
    if (j.using) {
      const i = sources.indexOf(j.table);
      for (const c of j.using) if (i > 0) facts.push({ rel: j.table, column: c, deps: new Set(sources.slice(0, i)) });
    }
  }
  for (const c of conds) {
    if (c.type !== 'binary' || (c.op !== '=' && c.op !== '==' && c.op !== 'IS NOT DISTINCT FROM' && c.op !== '<=>')) continue;
    for (const [side, other] of [
      [c.left, c.right],
      [c.right, c.left],
    ] as const) {
      const col = unwrapCast(side);
      if (col.type !== 'column' || col.outer || col.name === '*') continue;
      const rel = sourceOf(b, sources, col, schema);
      if (!rel) continue;
      facts.push({ rel, column: col.name, deps: depsOf(b, sources, other, schema) });
    }
  }
  const keysOf = (t: TableRef): string[][] => {
    if (t.kind !== 'table' || t.hole) return [];
    const st = schema && t.name ? findTable(schema, t.name, t.schema) : undefined;
    if (!st) return [['id']];
    return uniqueKeys(st);
  };
  /** The relation is fixed to one row by facts whose values read only `known` relations. */
  const keyedBy = (t: TableRef, known: (r: TableRef) => boolean): boolean =>
    keysOf(t).some((key) => key.every((k) => facts.some((f) => f.rel === t && sameName(f.column, k) && f.deps !== null && !f.deps.has(t) && [...f.deps].every(known))));
  const intrinsic = new Map(sources.map((t) => [t, sourceRows(t, schema)] as const));
  // relations fixed to one row by constants, and then by relations so fixed
  const determined = new Set<TableRef>();
  let changed = true;
  while (changed) {
    changed = false;
    for (const t of sources) {
      if (determined.has(t)) continue;
      if (intrinsic.get(t) === 'one' || keyedBy(t, (r) => determined.has(r))) {
        determined.add(t);
        changed = true;
      }
    }
  }
  // in the order written, each relation multiplies the rows so far by its own rows, or by one when
  // an earlier relation (or a constant) fixes its key; later ones cannot (a.id = b.id is not two one-row tables)
  let rows: Rows = 'one';
  const seen = new Set<TableRef>(determined);
  for (const t of sources) {
    const own: Rows = seen.has(t) || keyedBy(t, (r) => seen.has(r)) ? 'one' : intrinsic.get(t)!;
    relations.set(t, own);
    rows = maxRows(rows, own);
    seen.add(t);
  }
  if (determined.size === sources.length) return 'one';
  // one undetermined relation alone still yields more than one row
  return rows === 'one' ? 'small' : rows;
}

/** Column lists of the primary key and full (non-partial) unique indexes. */
function uniqueKeys(t: SchemaTable): string[][] {
  return t.indexes.filter((i) => i.unique && i.where === null && i.keys.length > 0 && i.keys.every((k) => k.column !== null)).map((i) => i.keys.map((k) => k.column!));
}

/** The FROM item of `b` a column of `b` reads; undefined when it cannot be told. */
export function sourceOf(b: QueryBlock, sources: TableRef[], col: ColumnExpr, schema?: Schema): TableRef | undefined {
  if (col.scope && col.scope !== b) return undefined;
  if (col.qualifier !== null) {
    const q = col.qualifier.toLowerCase();
    return sources.find((t) => (t.alias ?? t.name ?? '').toLowerCase() === q) ?? sources.find((t) => t.name?.toLowerCase() === q);
  }
  if (sources.length === 1) return sources[0];
  if (!schema) return undefined;
  const owners = sources.filter((t) => {
    if (t.kind !== 'table' || !t.name) return true; // a derived table may have it too
    const st = findTable(schema, t.name, t.schema);
    return !st || !st.columnsKnown || st.columns.some((c) => sameName(c.name, col.name));
  });
  return owners.length === 1 ? owners[0] : undefined;
}

/** The relations of `b` an expression reads; null when a column's relation cannot be told. */
function depsOf(b: QueryBlock, sources: TableRef[], e: Expr, schema?: Schema): Set<TableRef> | null {
  const out = new Set<TableRef>();
  let unknown = false;
  walkExpr(e, (x) => {
    if (x.type === 'subquery') {
      // a subquery correlated to this block reads its relations; an uncorrelated one is a constant
      for (const c of x.query.outerRefs) {
        if (c.scope !== b) continue;
        const t = sourceOf(b, sources, c, schema);
        if (t) out.add(t);
        else unknown = true;
      }
      return false;
    }
    if (x.type !== 'column' || x.outer) return true;
    if (x.scope === undefined || x.scope === null) {
      unknown = true;
      return false;
    }
    if (x.scope !== b) return true;
    const t = sourceOf(b, sources, x, schema);
    if (t) out.add(t);
    else unknown = true;
    return true;
  });
  return unknown ? null : out;
}
