import { defineRule } from '../src/rule.js';
import type { ColumnExpr, Expr, QueryBlock, TableRef } from '../src/model/types.js';
import { conjuncts, walkExpr } from '../src/model/walk.js';
import { relationRows } from '../src/model/rows.js';
import { keyEqualityOn } from '../src/model/relations.js';
import type { Schema } from '../src/schema/types.js';

function sourceName(t: TableRef): string {
  return t.alias ?? t.name ?? 'a subquery';
}

function findSource(sources: TableRef[], qualifier: string): TableRef | undefined {
  const q = qualifier.toLowerCase();
  return sources.find((t) => (t.alias ?? t.name ?? '').toLowerCase() === q) ?? sources.find((t) => t.name?.toLowerCase() === q);
}

const WRAPPER_TABLE = /^__sqlperf_(t|end)$/i;

/** Sources that multiply nothing or are meant to pair with every row: LATERAL, functions, VALUES, one-row relations. */
function harmless(b: QueryBlock, t: TableRef, schema: Schema | undefined): boolean {
  // the table a knex-style fragment is wrapped around (`SELECT 1 FROM __sqlperf_t <fragment>`) is not
  // the real one: its conditions are in code sqlperf does not see
  if (t.name !== null && WRAPPER_TABLE.test(t.name)) return true;
  if (t.lateral || t.kind === 'function' || t.kind === 'values') return true;
  // a one-row relation (an aggregate, LIMIT 1, a lookup by key, a one-row CTE) multiplies nothing
  return relationRows(b, t, schema) === 'one';
}

class Components {
  private readonly parent = new Map<TableRef, TableRef>();
  find(t: TableRef): TableRef {
    const p = this.parent.get(t);
    if (!p || p === t) return t;
    const r = this.find(p);
    this.parent.set(t, r);
    return r;
  }
  union(list: TableRef[]) {
    for (let i = 1; i < list.length; i++) this.parent.set(this.find(list[i]!), this.find(list[0]!));
  }
}

/** At most this many table names in one message: 5,000 comma-joined tables must not make each message list all the others. */
const MAX_LISTED = 5;

/** `a, b, c, d, e and 4,995 more`. */
function listNames(names: readonly string[]): string {
  if (names.length <= MAX_LISTED) return names.join(', ');
  return `${names.slice(0, MAX_LISTED).join(', ')} and ${names.length - MAX_LISTED} more`;
}

export default defineRule({
  name: 'no-cartesian-join',
  category: 'performance',
  severity: 'warn',
  constructs: ['crossJoin'],
  recommended: true,
  description: 'Disallow tables joined with no condition connecting them (Cartesian products)',
  messages: {
    cartesian: 'No condition connects {{table}} to {{others}}: every row of one is paired with every row of the other; add the join condition (JOIN {{table}} ON ...)',
    cross: 'CROSS JOIN pairs every row of {{others}} with every row of {{table}}, and neither is known to be small: the result grows with the product of both tables; filter one side to a few rows first, or join on a condition',
  },
  docs: {
    why: 'Tables listed in FROM without a condition between them are combined row by row: 10,000 users and 10,000 orders make 100 million rows before any other filter. It is almost always a forgotten join condition (an ON clause lost in an edit, a comma join whose WHERE condition was dropped). Comma joins with their condition in WHERE, LATERAL, set-returning functions and one-row relations (an aggregate without GROUP BY, LIMIT 1, a lookup by key, a one-row CTE or VALUES) multiply nothing and are not reported. An explicit `CROSS JOIN` is a deliberate choice, not a forgotten condition: it is reported only when it pairs two tables that are both of unbounded size (not small by the configured table sizes, not filtered to one row, not found by a key such as `product_id = $1`), with its own message.',
    bad: "SELECT u.email, o.total FROM users u, orders o WHERE o.status = 'paid'",
    good: "SELECT u.email, o.total FROM users u JOIN orders o ON o.user_id = u.id WHERE o.status = 'paid'",
  },
  check(ctx) {
    for (const b of ctx.blocks) {
      const candidates = b.joins.filter((j) => j.kind === 'comma' || j.kind === 'cross');
      if (!candidates.length) continue;
      const sources = [...(b.target ? [b.target] : []), ...b.from];
      const comp = new Components();
      let unknown = false;
      // an explicit JOIN ... ON / USING / NATURAL connects its table to what stands before it
      for (const j of b.joins) {
        if (j.kind === 'comma' || j.kind === 'cross') continue;
        const i = sources.indexOf(j.table);
        if (i > 0) comp.union([sources[i - 1]!, j.table]);
      }
      // every condition that mentions two sources connects them (generously: ORs and subqueries count)
      const link = (cols: ColumnExpr[]) => {
        const found = new Set<TableRef>();
        for (const c of cols) {
          if (c.qualifier === null) {
            if (cols.length > 1) unknown = true; // `user_id = id`: which tables? without a schema, say nothing
            continue;
          }
          const t = findSource(sources, c.qualifier);
          if (t) found.add(t);
        }
        comp.union([...found]);
      };
      for (const cond of [b.where, ...b.joins.map((j) => j.on)]) {
        for (const c of conjuncts(cond)) {
          const cols: ColumnExpr[] = [];
          walkExpr(c, (x: Expr) => {
            if (x.type === 'column' && x.name !== '*' && x.scope === b) cols.push(x);
          });
          link(cols);
        }
      }
      for (const child of b.children) link(child.outerRefs.filter((c) => c.scope === b));
      if (unknown) continue;
      const safe = (t: TableRef) => harmless(b, t, ctx.schema);
      for (const j of candidates) {
        const t = j.table;
        if (safe(t)) continue;
        const i = sources.indexOf(t);
        const earlier = sources.slice(0, Math.max(0, i)).filter((s) => !safe(s));
        if (!earlier.length || earlier.some((s) => comp.find(s) === comp.find(t))) continue;
        if (j.kind === 'cross' && /^cross\b/i.test(ctx.source(j.range))) {
          // written on purpose: only a product of two unbounded tables is worth a word
          // a side its WHERE finds by a key (`r.product_id = $1`) is already filtered to a few rows, as the advice asks
          const preds = ctx.predicates(b);
          const big = (s: TableRef) => s.kind === 'table' && !s.hole && relationRows(b, s, ctx.schema) === 'many' && !keyEqualityOn(s, b, preds, undefined, ctx.schema);
          const others = earlier.filter(big);
          if (big(t) && others.length) ctx.report({ range: j.range, messageId: 'cross', data: { table: sourceName(t), others: listNames(others.map(sourceName)) } });
          continue;
        }
        ctx.report({ range: j.range, messageId: 'cartesian', data: { table: sourceName(t), others: listNames(earlier.map(sourceName)) } });
      }
    }
  },
});
