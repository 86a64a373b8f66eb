import type { Dialect } from './dialect.js';
import { predicatesOf, type Predicate } from './model/predicates.js';
import type { ColumnExpr, QueryBlock, StatementModel } from './model/types.js';
import { contains, type Range } from './range.js';
import { findTable } from './schema/load.js';
import { filterServed } from './schema/match.js';
import type { Schema } from './schema/types.js';

/**
 * Index suggestions: per real table and statement, one composite B-tree index with the equality
 * columns first, then the sort columns, then one range column (a B-tree can use only the first
 * range column it meets). Predicates an index cannot serve suggest nothing, except a function
 * over a column, which can suggest an expression index where the dialect has them.
 */
export interface IndexSuggestion {
  table: string;
  schema: string | null;
  /** Column names or, for expression indexes, the expression text. */
  columns: string[];
  /** `CREATE INDEX ... ;` ready to paste. */
  statement: string;
  /** gin: containment, key-exists, overlap and full-text operators (PostgreSQL), which a B-tree cannot serve. */
  kind: 'btree' | 'expression' | 'gin';
  /** Why each column is there, in order. */
  reasons: string[];
  /** Where the query needs it: the predicates and ORDER BY items behind the columns. */
  ranges: Range[];
}

interface Part {
  key: string;
  text: string;
  reason: string;
  range: Range;
}

const GIN_OPS = new Set(['@>', '<@', '?', '?|', '?&', '&&', '@@', '@?']);
const EXPRESSION_INDEX_DIALECTS: ReadonlySet<Dialect> = new Set(['postgresql', 'sqlite', 'mysql']);

function quoteIdent(name: string, dialect: Dialect): string {
  if (/^[a-z_][a-z0-9_]*$/.test(name)) return name;
  if (dialect === 'mysql' || dialect === 'mariadb' || dialect === 'bigquery') return '`' + name.replace(/`/g, '``') + '`';
  if (dialect === 'transactsql') return `[${name.replace(/]/g, ']]')}]`;
  return `"${name.replace(/"/g, '""')}"`;
}

export function indexName(table: string, columns: string[]): string {
  const slug = columns.map((c) => c.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '')).join('_');
  return `idx_${table.toLowerCase().replace(/[^a-z0-9]+/g, '_')}_${slug}`.slice(0, 63).replace(/_$/, '');
}

function tableKey(c: ColumnExpr): string | null {
  return c.table ? c.table : null;
}

function suggestForBlock(b: QueryBlock, text: string, dialect: Dialect): IndexSuggestion[] {
  const preds = predicatesOf(b).filter((p) => !p.underOr && !p.negated && p.clause !== 'having' && p.column && tableKey(p.column));
  const tables = [...(b.target ? [b.target] : []), ...b.from].filter((t) => t.kind === 'table' && !t.hole && t.name);
  const out: IndexSuggestion[] = [];
  // tables filtered by a constant in WHERE are likely where the plan starts; a join equality then needs an index on the other side
  const filtered = new Set(preds.filter((p) => p.clause === 'where' && p.sargable && p.valueKind !== 'column').map((p) => p.column!.table));
  const lookupSide = (p: Predicate): ColumnExpr | null => {
    const a = p.column!;
    const o = p.kind === 'equality' && p.value?.type === 'column' && p.value.scope === b && p.value.table && p.value.table !== a.table ? p.value : null;
    if (!o) return a;
    if (filtered.has(a.table) && !filtered.has(o.table)) return o;
    if (filtered.has(o.table) && !filtered.has(a.table)) return a;
    // neither side or both: the table the JOIN brings in is the one looked up
    const joined = b.joins.find((j) => j.on && contains(j.on.range, p.range))?.table.name;
    return joined && o.table === joined && a.table !== joined ? o : a;
  };
  for (const t of tables) {
    const name = t.name!;
    const mine = (c: ColumnExpr | null) => c !== null && c.table === name && c.scope === b && !/^__sqlperf_p\d+$/i.test(c.name);
    const eq: Part[] = [];
    const range: Part[] = [];
    const sort: Part[] = [];
    let expression: Part | undefined;
    let gin: Part | undefined;
    const push = (list: Part[], p: Part) => {
      if (![...eq, ...list].some((x) => x.key === p.key)) list.push(p);
    };
    for (const p of preds) {
      const col = lookupSide(p);
      if (!col || !mine(col)) continue;
      if (dialect === 'postgresql' && col === p.column && GIN_OPS.has(p.op) && p.valueKind !== 'column' && !gin) {
        // jsonb @> / ?, array && / @>, tsvector @@: a GIN index on the column (or the to_tsvector expression)
        const target = p.wrapped ? `(${text.slice(p.wrapped.range.start, p.wrapped.range.end).replace(new RegExp(`\\b${escapeRe(col.qualifier ?? '')}\\s*\\.\\s*`, 'g'), '').replace(/\s+/g, ' ')})` : quoteIdent(col.name, dialect);
        gin = { key: `gin:${target}`, text: target, reason: `${p.op} needs GIN`, range: p.range };
        continue;
      }
      if (col === p.column && p.wrapped && (p.kind === 'equality' || p.kind === 'in' || p.kind === 'range') && !expression && EXPRESSION_INDEX_DIALECTS.has(dialect) && p.valueKind !== 'column') {
        const exprText = text.slice(p.wrapped.range.start, p.wrapped.range.end).replace(/\s+/g, ' ');
        const bare = exprText.replace(new RegExp(`\\b${escapeRe(col.qualifier ?? '')}\\s*\\.\\s*`, 'g'), '');
        expression = { key: `expr:${bare}`, text: `(${bare})`, reason: `${exprText} ${p.op} ...`, range: p.range };
        continue;
      }
      if (!p.sargable && col === p.column) continue;
      const part = { key: col.name.toLowerCase(), text: quoteIdent(col.name, dialect), reason: '', range: p.range };
      if (p.kind === 'equality' || p.kind === 'in' || (p.kind === 'null' && p.op === 'IS NULL')) push(eq, { ...part, reason: `${p.valueKind === 'column' ? 'join' : 'filter'} ${col.name} ${p.op}` });
      else if (p.kind === 'range' || p.kind === 'like') push(range, { ...part, reason: `range ${col.name} ${p.op}` });
    }
    // sort columns: only when every ORDER BY item is a plain column of this table (else the index cannot provide the order)
    const orderCols = b.orderBy.map((o) => (o.expr.type === 'column' && mine(o.expr) ? o.expr : null));
    if (orderCols.length && orderCols.every(Boolean) && tables.length === 1) {
      orderCols.forEach((c, i) => push(sort, { key: c!.name.toLowerCase(), text: quoteIdent(c!.name, dialect) + (b.orderBy[i]!.direction === 'desc' ? ' DESC' : ''), reason: `sort ${c!.name}`, range: b.orderBy[i]!.range }));
    }
    // a column both sorted and range-filtered belongs in the sort position (it serves both)
    const parts = [...eq, ...sort, ...range.filter((r) => ![...eq, ...sort].some((x) => x.key === r.key)).slice(0, 1)];
    if (parts.length) {
      const cols = parts.map((p) => p.text);
      out.push({ table: name, schema: t.schema, columns: cols, kind: 'btree', reasons: parts.map((p) => p.reason), ranges: parts.map((p) => p.range), statement: createIndex(name, t.schema, cols, dialect) });
    }
    if (gin) {
      const ixName = indexName(name, [gin.text.replace(/[()]/g, ' ').trim(), 'gin']);
      const target = (t.schema ? quoteIdent(t.schema, dialect) + '.' : '') + quoteIdent(name, dialect);
      out.push({ table: name, schema: t.schema, columns: [gin.text], kind: 'gin', reasons: [gin.reason], ranges: [gin.range], statement: `CREATE INDEX ${ixName} ON ${target} USING gin (${gin.text});` });
    }
    if (expression) {
      const cols = [expression.text];
      out.push({ table: name, schema: t.schema, columns: cols, kind: 'expression', reasons: [expression.reason], ranges: [expression.range], statement: createIndex(name, t.schema, cols, dialect) });
    }
  }
  return out;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function createIndex(table: string, schema: string | null, columns: string[], dialect: Dialect): string {
  const name = indexName(table, columns.map((c) => c.replace(/\bDESC$/, '').replace(/[()]/g, ' ').trim()));
  const target = (schema ? quoteIdent(schema, dialect) + '.' : '') + quoteIdent(table, dialect);
  return `CREATE INDEX ${name} ON ${target} (${columns.join(', ')});`;
}

/**
 * One suggestion per table and statement: suggestions from several blocks on one table are merged when one is a prefix of the other.
 * With a schema, suggestions that existing indexes already serve (leftmost-prefix rule) and those for small tables are left out.
 */
export function suggestIndexes(statement: StatementModel, text: string, dialect: Dialect, schema?: Schema): IndexSuggestion[] {
  const all = mergeSuggestions(statement.blocks.flatMap((b) => suggestForBlock(b, text, dialect)));
  // with a schema, a table it does not have gets no index (unknown-table says why)
  return schema ? filterServed(all.filter((s) => findTable(schema, s.table)), schema, statement, text) : all;
}

/** Drops suggestions whose columns are a leading prefix of another on the same table. */
export function mergeSuggestions(list: IndexSuggestion[]): IndexSuggestion[] {
  const out: IndexSuggestion[] = [];
  const sorted = [...list].sort((a, b) => b.columns.length - a.columns.length);
  for (const s of sorted) {
    const host = out.find((o) => o.table === s.table && o.schema === s.schema && s.columns.every((c, i) => o.columns[i]?.replace(/ DESC$/, '') === c.replace(/ DESC$/, '')));
    if (host) {
      host.ranges.push(...s.ranges);
      continue;
    }
    out.push({ ...s, ranges: [...s.ranges], reasons: [...s.reasons] });
  }
  return out.sort((a, b) => (a.ranges[0]?.start ?? 0) - (b.ranges[0]?.start ?? 0));
}

export type { Predicate };
