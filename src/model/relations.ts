/**
 * Which relation a predicate restricts, and whether it is only a residual filter: another
 * sargable equality of the same WHERE / ON already finds the rows through an index or key. Shared
 * by the rules that warn about a predicate no index can serve (no-function-on-column,
 * no-leading-wildcard, the latter on its SQL side and its value side alike).
 */
import { HOLE_TEXT, predicatesOf, type Predicate } from './predicates.js';
import { relationRows, sourceOf } from './rows.js';
import type { ColumnExpr, QueryBlock, TableRef } from './types.js';
import { unwrapCast } from './walk.js';
import { findTable } from '../schema/load.js';
import { anyUsableIndex } from '../schema/match.js';
import { isSystemCatalog } from '../schema/names.js';
import type { Schema } from '../schema/types.js';

/** A system catalog or statistics view: small, not the application's data, and not indexable by the application. */
export function isSystemRelation(t: TableRef | undefined): boolean {
  return !!t && t.kind === 'table' && !!t.name && isSystemCatalog(t.name, t.schema);
}

/** The FROM / JOIN relations of a block (and its DML target). */
export function blockSources(b: QueryBlock): TableRef[] {
  return [...(b.target ? [b.target] : []), ...b.from];
}

/** The relation of `b` a column reads (see `sourceOf`); undefined when it cannot be told. */
export function relationOf(b: QueryBlock, col: ColumnExpr, schema?: Schema): TableRef | undefined {
  return sourceOf(b, blockSources(b), col, schema);
}

/** A column that names a key: `id`, `user_id`, `tenantId`. */
const KEY_NAME = /^(?:id|.+_id|.+[a-z]I[dD])$/;

/** A column named like a key (`id`, `tenant_id`, `workspaceId`, `teamID`): what counts as one without a schema. */
export function isKeyName(name: string): boolean {
  return KEY_NAME.test(name);
}

export interface KeyEqualityOptions {
  /** Without a schema, a parameter equality on any column counts (not only on id / *_id). */
  anyParam?: boolean;
}

/**
 * Another predicate of the same WHERE / ON is a sargable equality on a column of the same relation
 * `rel` (`tenant_id = $1`, `o.user_id = u.id`), so the index access goes through that one and the
 * predicate at hand only filters the rows it finds. With a schema that knows the table, an index
 * (or key) must start with that column; without one, a column named id / *_id counts (and, with
 * `anyParam`, an equality with a parameter).
 */
export function keyEqualityOn(rel: TableRef, b: QueryBlock, preds: Predicate[], except: Predicate | undefined, schema: Schema | undefined, opts: KeyEqualityOptions = {}): Predicate | undefined {
  const st = schema && rel.kind === 'table' && rel.name ? findTable(schema, rel.name, rel.schema) : undefined;
  const known = st && st.kind === 'table' ? st : undefined;
  const served = (col: ColumnExpr, valueIsParam: boolean): boolean => {
    if (known) return anyUsableIndex(known, [{ column: col.name, expression: null }]);
    return isKeyName(col.name) || (!!opts.anyParam && valueIsParam);
  };
  return preds.find((q) => {
    if (q === except || q.clause === 'having' || q.underOr || q.negated || q.kind !== 'equality' || !q.column || q.wrapped) return false;
    if (q.column.scope !== b) return false;
    const left = relationOf(b, q.column, schema);
    if (left === rel && q.sargable) {
      // the value must not read the same relation (`a.x = a.y` does not find rows by an index)
      const v = q.value && unwrapCast(q.value);
      if (v && v.type === 'column' && !v.outer && v.scope === b && relationOf(b, v, schema) === rel) return false;
      return served(q.column, q.valueKind === 'param');
    }
    // `o.user_id = u.id` written with the other relation first
    const v = q.value && unwrapCast(q.value);
    if (v && v.type === 'column' && !v.outer && v.scope === b && left !== undefined && left !== rel && relationOf(b, v, schema) === rel) return served(v, false);
    return false;
  });
}

/** The relation a LIKE / comparison predicate restricts, when it can be told. */
export function predicateRelation(p: Predicate, schema?: Schema): TableRef | undefined {
  return p.column && p.column.scope === p.block ? relationOf(p.block, p.column, schema) : undefined;
}

/** What a contains-search (`col LIKE '%x%'`) searches: a base table's column, bare or lowered. */
export interface SearchTarget {
  /** The real table name; null when it cannot be told (an unqualified column in a join without a schema). */
  table: string | null;
  /** The column name as the SQL writes it, without qualifier. */
  column: string;
  /** What an index would cover: the column, or `lower(column)` / `upper(column)` when the query folds case. */
  key: string;
}

/**
 * The base-table column a LIKE-family predicate searches, when an index on it could be the remedy;
 * undefined when the predicate is silent for no-leading-wildcard: a negative pattern (`NOT LIKE`),
 * an operand that is not a bare (or case-folded) column of a base table (a CTE or derived column,
 * `substring(...)`, a hole), a system catalog, a relation that yields one / small rows (a key fixes
 * it, or the config says the table is small), or a search inside one parent (another sargable
 * equality on a key of the same table, see `keyEqualityOn`).
 */
export function searchTarget(p: Predicate, schema?: Schema): SearchTarget | undefined {
  if (p.kind !== 'like' || !p.column || p.negated || /^NOT\b/i.test(p.op)) return undefined;
  const col = p.column;
  if (col.outer || col.scope !== p.block || col.name === '*' || HOLE_TEXT.test(col.name)) return undefined;
  let key = col.name;
  if (p.wrapped) {
    const w = unwrapCast(p.wrapped);
    if (w.type !== 'func' || !/^(?:lower|upper)$/i.test(w.name) || w.args.length !== 1 || unwrapCast(w.args[0]!) !== col) return undefined;
    key = `${w.name.toLowerCase()}(${col.name})`;
  }
  const b = p.block;
  const rel = predicateRelation(p, schema);
  if (rel) {
    if (rel.kind !== 'table' || rel.hole || !rel.name || HOLE_TEXT.test(rel.name) || isSystemRelation(rel)) return undefined;
    if (relationRows(b, rel, schema) !== 'many') return undefined;
    if (keyEqualityOn(rel, b, predicatesOf(b), p, schema)) return undefined;
    // a fragment's stand-in table (template.ts WRAPS) is no name to give the user: the remedy says <table>
    if (/^__sqlperf_/i.test(rel.name)) return { table: null, column: col.name, key };
    return { table: rel.schema ? `${rel.schema}.${rel.name}` : rel.name, column: col.name, key };
  }
  // the relation cannot be told: only when every source is a base table (no CTE or derived column)
  if (col.qualifier !== null && !col.table) return undefined;
  const sources = blockSources(b);
  if (!sources.length || sources.some((t) => t.kind !== 'table' || t.hole || isSystemRelation(t))) return undefined;
  return { table: col.table ?? null, column: col.name, key };
}
