import type { Dialect } from '../dialect.js';
import { renderKeyExpr } from '../index-ddl.js';
import type { IndexSuggestion } from '../indexes.js';
import type { Predicate } from '../model/predicates.js';
import type { QueryBlock, StatementModel } from '../model/types.js';
import { conjuncts } from '../model/walk.js';
import { findTable, sameName } from './load.js';
import { normalizeExpr } from './tokens.js';
import type { Schema, SchemaIndex, SchemaTable } from './types.js';

/** Below this many rows (when `tables` sizes are given) a full scan is cheap: no index is asked for. */
export const SMALL_TABLE_ROWS = 10_000;

/** A column or an expression (normalised text), as an index key or as what a query needs. */
export interface KeyRef {
  column: string | null;
  expression: string | null;
}

/** What a query needs from an index on one table: equality keys (any order), then sort keys, then one range key. */
export interface Need {
  eq: KeyRef[];
  sort: Array<KeyRef & { desc: boolean }>;
  range: KeyRef | null;
  /** gin: the key must be in a GIN index (containment, key-exists, full-text operators); fulltext: a MySQL FULLTEXT index on exactly this column. */
  method?: 'gin' | 'fulltext';
}

const ORDERED_METHODS = new Set(['btree']);

function sameKey(k: KeyRef, n: KeyRef): boolean {
  if (k.column !== null && n.column !== null) return sameName(k.column, n.column);
  if (k.expression !== null && n.expression !== null) return k.expression === n.expression;
  return false;
}

/** Normalised, qualifier-free text of the statement's WHERE / ON conjuncts: what a partial index's WHERE must find. */
export function statementConjuncts(statement: StatementModel, text: string): Set<string> {
  const out = new Set<string>();
  const add = (b: QueryBlock) => {
    for (const e of [...conjuncts(b.where), ...b.joins.flatMap((j) => conjuncts(j.on))]) out.add(normalizeExpr(text.slice(e.range.start, e.range.end).replace(/(?:\b\w+|"[^"]+")\s*\.\s*(?=["\w])/g, '')));
  };
  statement.blocks.forEach(add);
  return out;
}

/** A partial index can be used only when the query repeats its WHERE conditions. */
function partialOk(i: SchemaIndex, conj: Set<string> | undefined): boolean {
  if (i.where === null) return true;
  if (!conj) return false;
  return i.where.split(/ and /).every((c) => conj.has(normalizeExpr(c)));
}

/** How many leading keys of `need` the index serves with the leftmost-prefix rule; `full` when all. */
export function coverage(i: SchemaIndex, need: Need, conj?: Set<string>): { served: number; full: boolean } {
  const total = need.eq.length + need.sort.length + (need.range ? 1 : 0);
  if (!partialOk(i, conj)) return { served: 0, full: false };
  if (need.method === 'fulltext') {
    // MATCH (col) needs a FULLTEXT index on exactly its columns
    const ok = i.method === 'fulltext' && i.keys.length === need.eq.length && need.eq.every((n) => i.keys.some((k) => sameKey(k, n)));
    return { served: ok ? 1 : 0, full: ok };
  }
  if (need.method === 'gin') {
    // a GIN index serves its operators on any of its keys
    const ok = i.method === 'gin' && i.keys.some((k) => need.eq.some((n) => sameKey(k, n)));
    return { served: ok ? 1 : 0, full: ok };
  }
  if (!ORDERED_METHODS.has(i.method)) {
    // a hash index serves one equality, and nothing else
    const ok = i.method === 'hash' && i.keys.length === 1 && need.eq.some((n) => sameKey(i.keys[0]!, n));
    return { served: ok ? 1 : 0, full: ok && total === 1 };
  }
  const keys = i.keys;
  let k = 0;
  let served = 0;
  // a column the partial index's condition fixes (`deleted_at IS NULL`, `status = 'x'`) needs no key
  const fixed = (i.where ?? '').split(/ and /).map((c) => /^([\w$]+)(?:=| is null$)/.exec(c)?.[1]).filter((c): c is string => !!c);
  const eqLeft = need.eq.filter((n) => !(n.column !== null && fixed.some((f) => sameName(f, n.column!))));
  served += need.eq.length - eqLeft.length;
  while (k < keys.length && eqLeft.length) {
    const j = eqLeft.findIndex((n) => sameKey(keys[k]!, n));
    if (j < 0) break;
    eqLeft.splice(j, 1);
    k++;
    served++;
  }
  if (eqLeft.length) return { served, full: false };
  let flip: boolean | undefined;
  for (const s of need.sort) {
    const key = keys[k];
    // an equality column that is also sorted is already constant
    if (need.eq.some((n) => sameKey(n, s))) {
      served++;
      continue;
    }
    if (!key || !sameKey(key, s) || key.prefix !== undefined) return { served, full: false };
    const f = key.desc !== s.desc;
    if (flip !== undefined && f !== flip) return { served, full: false };
    flip = f;
    k++;
    served++;
  }
  if (need.range) {
    const covered = [...need.eq, ...need.sort].some((n) => sameKey(n, need.range!));
    if (!covered && !(keys[k] && sameKey(keys[k]!, need.range))) return { served, full: false };
    served++;
  }
  return { served, full: true };
}

/** The need behind an index suggestion, read back from its columns and their roles. */
export function needOf(s: IndexSuggestion): Need {
  const need: Need = { eq: [], sort: [], range: null };
  if (s.kind === 'fulltext') {
    need.method = 'fulltext';
    need.eq.push(...s.columns.map((c) => ({ column: unquote(c), expression: null })));
    return need;
  }
  if (s.kind === 'gin' || s.kind === 'trigram') {
    const c = (s.columns[0] ?? '').replace(/ gin_trgm_ops$/, '');
    need.method = 'gin';
    need.eq.push(c.startsWith('(') ? { column: null, expression: normalizeExpr(c) } : { column: unquote(c), expression: null });
    return need;
  }
  if (s.kind === 'expression') {
    need.eq.push({ column: null, expression: normalizeExpr(s.columns[0] ?? '') });
    return need;
  }
  s.columns.forEach((c, i) => {
    const desc = / DESC$/.test(c);
    const name = unquote(c.replace(/ DESC$/, ''));
    const ref = { column: name, expression: null };
    const role = s.roles[i] ?? 'eq';
    if (role === 'sort') need.sort.push({ ...ref, desc });
    else if (role === 'range') need.range = ref;
    else need.eq.push(ref);
  });
  return need;
}

function unquote(s: string): string {
  const m = /^(["`[])(.*)["`\]]$/.exec(s);
  return m ? m[2]!.replace(/""/g, '"').replace(/``/g, '`').replace(/]]/g, ']') : s;
}

/** The table an index suggestion is for, if the schema knows it as a table (not a view). */
export function suggestionTable(schema: Schema, s: IndexSuggestion): SchemaTable | undefined {
  const t = findTable(schema, s.table, s.schema);
  return t && t.kind === 'table' ? t : undefined;
}

export function isSmall(t: SchemaTable): boolean {
  return t.rows !== undefined && t.rows < SMALL_TABLE_ROWS;
}

/**
 * Drops suggestions an existing index (primary and unique keys included) already serves in full
 * with the leftmost-prefix rule, and suggestions for tables known to be small.
 */
export function filterServed(list: IndexSuggestion[], schema: Schema, statement: StatementModel, text: string): IndexSuggestion[] {
  let conj: Set<string> | undefined;
  return list.filter((s) => {
    const t = suggestionTable(schema, s);
    // a view cannot be indexed (the index belongs on the tables it reads)
    if (!t) return findTable(schema, s.table, s.schema)?.kind !== 'view';
    if (isSmall(t)) return false;
    const need = needOf(s);
    conj ??= statementConjuncts(statement, text);
    // an expression key usually sits behind the query's equality columns: (account_id, lower(email)) serves
    // `account_id = $1 AND lower(email) = $2`, whose expression and column parts are two suggestions
    if (s.kind === 'expression') {
      const eq = list.filter((o) => o.kind === 'btree' && o.table === s.table && o.schema === s.schema).flatMap((o) => needOf(o).eq);
      const withEq: Need = { ...need, eq: [...need.eq, ...eq] };
      if (eq.length && t.indexes.some((i) => coverage(i, withEq, conj).full)) return false;
    }
    // equality on every column of a unique key finds one row: nothing more to index
    const oneRow = t.indexes.some((i) => i.unique && !i.where && i.keys.length > 0 && i.keys.every((k) => k.column !== null && need.eq.some((n) => n.column !== null && sameName(n.column, k.column!))));
    return !oneRow && !t.indexes.some((i) => coverage(i, need, conj).full);
  });
}

/** True if some index can start a search on one of these keys (its first key is one of them). */
export function anyUsableIndex(t: SchemaTable, keys: KeyRef[], conj?: Set<string>, method?: Need['method']): boolean {
  return t.indexes.some((i) => {
    if (!partialOk(i, conj) || !i.keys[0]) return false;
    if (method) return i.method === method && i.keys.some((k) => keys.some((x) => sameKey(k, x)));
    if (!ORDERED_METHODS.has(i.method) && i.method !== 'hash') return false;
    return keys.some((k) => sameKey(i.keys[0]!, k));
  });
}

/**
 * The schema has an index that starts with the predicate's wrapped expression (`lower(email)` in
 * `lower(email) = $1`), rendered from the model as index suggestions are, so the expression is served.
 * Partial indexes are not counted (without the statement's conditions their WHERE cannot be checked).
 */
export function expressionIndexed(p: Predicate, schema: Schema, dialect: Dialect): boolean {
  const col = p.column;
  const t = col?.table ? findTable(schema, col.table, col.ref?.schema) : undefined;
  if (!p.wrapped || !col || !t || t.kind !== 'table') return false;
  const r = renderKeyExpr(p.wrapped, { dialect, mine: (c) => c.ref === col.ref, known: t });
  return r.ok && anyUsableIndex(t, [{ column: null, expression: normalizeExpr(r.sql) }]);
}

/**
 * The schema has a trigram index (GIN or GiST, not partial) on `column` of `table`, or on the
 * case-folded `expression` (`lower(title)`) when the search folds case: a contains-search can use it.
 */
export function trigramIndexed(schema: Schema | undefined, table: string | null, expression: string | null, column: string): boolean {
  const t = schema && table ? findTable(schema, table) : undefined;
  if (!t) return false;
  const key: KeyRef = expression ? { column: null, expression: normalizeExpr(expression) } : { column: column.replace(/^"|"$/g, ''), expression: null };
  return t.indexes.some((i) => (i.method === 'gin' || i.method === 'gist') && i.where === null && i.keys.some((k) => sameKey(k, key)));
}
