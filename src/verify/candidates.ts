// Indexes to try when the static suggestion is not what the planner uses: GIN, expression and partial indexes from the query's own text.
import { GIN_OPS } from '../index-ddl.js';
import type { IndexSuggestion } from '../indexes.js';
import { predicatesOf, type Predicate } from '../model/predicates.js';
import type { Range } from '../range.js';
import type { VerifyUnit } from './units.js';

function slice(u: VerifyUnit, r: Range): string {
  return u.sql.slice(r.start - u.base, r.end - u.base);
}

const ident = (s: string) => (/^[a-z_][a-z0-9_]*$/.test(s) ? s : `"${s.replace(/"/g, '""')}"`);

function predicatesOn(u: VerifyUnit, table: string): Predicate[] {
  return u.model.blocks.flatMap((b) => predicatesOf(b)).filter((p) => p.column?.table === table && !p.underOr && !p.negated);
}

/** Text of a column side without its table qualifier (`lower(u.email)` -> `lower(email)`). */
function bareText(u: VerifyUnit, p: Predicate, r: Range): string {
  const q = p.column?.qualifier;
  const t = slice(u, r).replace(/\s+/g, ' ');
  return q ? t.replace(new RegExp(`\\b${q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*\\.\\s*`, 'g'), '') : t;
}

function indexSql(table: string, name: string, body: string, using = '', where = ''): string {
  return `CREATE INDEX ${name} ON ${ident(table)}${using ? ` USING ${using}` : ''} (${body})${where ? ` WHERE ${where}` : ''};`;
}

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '').slice(0, 40);
}

interface Candidate {
  statement: string;
  why: string;
}

/** What PostgreSQL may need instead of (or besides) a plain B-tree, from the query's predicates on a table. */
export function candidatesFor(u: VerifyUnit, table: string, suggestion: IndexSuggestion | null): Candidate[] {
  const preds = predicatesOn(u, table);
  const out: Candidate[] = [];
  for (const p of preds) {
    if (!GIN_OPS.has(p.op)) continue;
    const side = p.wrapped ? `(${bareText(u, p, p.wrapped.range)})` : ident(p.column!.name);
    out.push({ statement: indexSql(table, `idx_${slug(table)}_${slug(side)}_gin`, side, 'gin'), why: `${p.op} needs a GIN index (a B-tree cannot serve it)` });
  }
  for (const p of preds) {
    if (!p.wrapped || !(p.kind === 'equality' || p.kind === 'in' || p.kind === 'range') || p.valueKind === 'column') continue;
    const expr = bareText(u, p, p.wrapped.range);
    out.push({ statement: indexSql(table, `idx_${slug(table)}_${slug(expr)}`, `(${expr})`), why: `the query compares ${expr}, so the index must be on that expression` });
  }
  if (suggestion) {
    const constant = preds.filter((p) => !p.wrapped && (p.kind === 'equality' || p.kind === 'null') && (p.valueKind === 'literal' || p.valueKind === 'null'));
    if (constant.length) {
      const where = constant.map((p) => bareText(u, p, p.range)).join(' AND ');
      const fixed = new Set(constant.map((p) => ident(p.column!.name)));
      const cols = suggestion.columns.filter((c) => !fixed.has(c.replace(/ DESC$/, '')));
      if (cols.length) out.push({ statement: indexSql(table, `idx_${slug(table)}_${slug(cols.join('_'))}_partial`, cols.join(', '), '', where), why: `a partial index whose WHERE (${where}) the query repeats` });
    }
  }
  return out;
}
