// Indexes to try when the static suggestion is not what the planner uses: GIN, expression and partial indexes from the query's predicates.
import { createIndexSql, GIN_OPS, indexName, quoteIdent, renderKeyExpr, type RenderContext } from '../index-ddl.js';
import type { IndexSuggestion } from '../indexes.js';
import { predicatesOf, type Predicate } from '../model/predicates.js';
import type { ColumnExpr } from '../model/types.js';
import type { VerifyUnit } from './units.js';

interface Candidate {
  statement: string;
  why: string;
}

function predicatesOn(u: VerifyUnit, table: string): Predicate[] {
  return u.model.blocks.flatMap((b) => predicatesOf(b)).filter((p) => p.column?.table === table && !p.underOr && !p.negated);
}

/** The predicate's column side as an index key (`lower(email)`), rendered from the model like every suggestion; null when it cannot be a key. */
function keyOf(p: Predicate, ctx: RenderContext): string | null {
  if (!p.wrapped) return quoteIdent(p.column!.name, ctx.dialect);
  const r = renderKeyExpr(p.wrapped, ctx);
  return r.ok ? r.sql : null;
}

/** `col = 'x'` / `col IS NULL` as a partial index's WHERE, from the model; null for anything else. */
function conditionOf(p: Predicate, ctx: RenderContext): string | null {
  const col = quoteIdent(p.column!.name, ctx.dialect);
  if (p.kind === 'null') return p.op === 'IS NULL' || p.op === 'IS NOT NULL' ? `${col} ${p.op}` : null;
  if (p.op !== '=' || !p.value) return null;
  const v = renderKeyExpr(p.value, ctx);
  return v.ok ? `${col} = ${v.sql}` : null;
}

/** What PostgreSQL may need instead of (or besides) a plain B-tree, from the query's predicates on a table. */
export function candidatesFor(u: VerifyUnit, table: string, suggestion: IndexSuggestion | null): Candidate[] {
  const ctx: RenderContext = { dialect: 'postgresql', mine: (c: ColumnExpr) => c.table === table && !c.outer };
  const schema = suggestion?.schema ?? null;
  const make = (keys: string[], suffix: string | undefined, method: 'btree' | 'gin', where?: string) =>
    createIndexSql({ name: indexName(table, keys, suffix), table, schema, keys, method, ...(where ? { where } : {}) }, 'postgresql');
  const preds = predicatesOn(u, table);
  const out: Candidate[] = [];
  for (const p of preds) {
    const key = GIN_OPS.has(p.op) ? keyOf(p, ctx) : null;
    if (key) out.push({ statement: make([p.wrapped ? `(${key})` : key], 'gin', 'gin'), why: `${p.op} needs a GIN index (a B-tree cannot serve it)` });
  }
  for (const p of preds) {
    if (!p.wrapped || !(p.kind === 'equality' || p.kind === 'in' || p.kind === 'range') || p.valueKind === 'column') continue;
    const key = keyOf(p, ctx);
    if (key) out.push({ statement: make([`(${key})`], undefined, 'btree'), why: `the query compares ${key}, so the index must be on that expression` });
  }
  if (suggestion) {
    const constant = preds.filter((p) => !p.wrapped && (p.kind === 'equality' || p.kind === 'null') && (p.valueKind === 'literal' || p.valueKind === 'null'));
    const conditions = constant.map((p) => conditionOf(p, ctx));
    if (constant.length && conditions.every((c) => c !== null)) {
      const where = conditions.join(' AND ');
      const fixed = new Set(constant.map((p) => quoteIdent(p.column!.name, 'postgresql')));
      const cols = suggestion.columns.filter((c) => !fixed.has(c.replace(/ DESC$/, '')));
      if (cols.length) out.push({ statement: make(cols, 'partial', 'btree', where), why: `a partial index whose WHERE (${where}) the query repeats` });
    }
  }
  return out;
}
