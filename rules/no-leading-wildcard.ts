import { defineRule } from '../src/rule.js';
import { leadingWildcard } from '../src/model/predicates.js';
import type { EsNode } from '../src/embed/detect.js';
import { boundValues, builderLikes, constResolver, HOLE_TEXT, likePredicates, modelsOf, patternHead, siteDialect, startsWithWildcard, valueAtHead, withValueCheck } from '../src/embed/hole-values.js';
import { unwrap } from '../src/embed/host-code.js';

function short(text: string): string {
  const one = text.replace(/\s+/g, ' ');
  return one.length > 60 ? `${one.slice(0, 57)}...` : one;
}

/** The value as the message shows it: its host text, and for a constant `pattern` what it holds (`pattern = `%${q}%``). */
function shown(expr: EsNode, code: string, resolve: (id: EsNode) => EsNode | undefined): string {
  const text = code.slice(expr.range![0], expr.range![1]);
  const u = unwrap(expr);
  const init = u.type === 'Identifier' ? resolve(u) : undefined;
  return short(init?.range ? `${text} = ${code.slice(init.range[0], init.range[1])}` : text);
}

export default withValueCheck(
  defineRule({
    name: 'no-leading-wildcard',
    category: 'performance',
    severity: 'warn',
    recommended: true,
    description: 'Disallow LIKE patterns that start with a wildcard in filters',
    messages: {
      leading: '{{op}} pattern {{pattern}} starts with a wildcard, so an index on {{column}} cannot be used and every row is scanned',
      leadingValue: '{{column}} {{op}} {{value}}: the pattern starts with a wildcard, so an index on {{column}} cannot be used and every row is scanned',
    },
    docs: {
      why: 'A B-tree index is ordered by prefix: it can find `abc%` but not `%abc`. A pattern that starts with `%` or `_` reads every row, also when the wildcard is in the value the code binds (`ILIKE ${`%${q}%`}`, `LIKE $1` with `[`%${q}`]`). For substring search use a trigram index (PostgreSQL `pg_trgm` with GIN) or full-text search; for suffixes, index the reversed value.',
      bad: "SELECT id FROM users WHERE email LIKE '%@example.com'",
      good: "SELECT id FROM users WHERE email_domain = 'example.com'",
    },
    check(ctx) {
      for (const b of ctx.blocks) {
        for (const p of ctx.predicates(b)) {
          if (p.kind !== 'like' || !p.column) continue;
          const lit = leadingWildcard(p.value);
          if (!lit) continue;
          // `'${prefix}%'`: the text starts with a host value (a prefix match); the value-side check judges the value
          if (lit.type === 'literal' && HOLE_TEXT.test(String(lit.value))) continue;
          const column = ctx.source(p.wrapped?.range ?? p.column.range);
          ctx.report({ range: lit.range, messageId: 'leading', data: { op: p.op, pattern: ctx.source(p.value!.range), column } });
        }
      }
    },
  }),
  {
    // the wildcard is in the value the code binds: a `${}` hole, a parameter array element, a quoted hole
    site(site, ctx) {
      const embedded = ctx.embedded;
      if (!embedded?.parsed || !site.node) return;
      const values = boundValues(site, embedded, ctx.parent);
      if (!values.length) return;
      const resolve = constResolver(ctx.parent, site.node);
      const wild = values.filter((v) => startsWithWildcard(v.expr, resolve));
      if (!wild.length) return;
      for (const p of likePredicates(modelsOf(embedded, siteDialect(ctx)))) {
        const head = patternHead(p.value);
        const bound = head && valueAtHead(wild, head);
        if (!bound) continue;
        let column = embedded.sql.slice((p.wrapped ?? p.column!).range.start, (p.wrapped ?? p.column!).range.end);
        // a column that is itself a hole shows the host text
        for (const h of embedded.holes) {
          const fill = embedded.sql.slice(h.sql.start, h.sql.end);
          if (HOLE_TEXT.test(fill)) column = column.split(fill).join(site.code.slice(h.host.start, h.host.end));
        }
        ctx.report({ range: bound.host, messageId: 'leadingValue', data: { op: p.op, column, value: shown(bound.expr, site.code, resolve) } });
      }
    },
    // query builders write the LIKE from their arguments: `.where('email', 'ilike', `%${q}%`)`, `.whereILike(col, v)`, drizzle `ilike(col, v)`
    program(program, ctx) {
      for (const b of builderLikes(program)) {
        const resolve = constResolver(ctx.parent, b.call);
        if (!b.value.range || !startsWithWildcard(b.value, resolve)) continue;
        const col = unwrap(b.column);
        const column = col.type === 'Literal' && typeof col.value === 'string' ? col.value : ctx.source({ start: b.column.range![0], end: b.column.range![1] });
        ctx.report({ range: { start: b.value.range[0], end: b.value.range[1] }, messageId: 'leadingValue', data: { op: b.op, column, value: shown(b.value, ctx.code, resolve) } });
      }
    },
  },
);
