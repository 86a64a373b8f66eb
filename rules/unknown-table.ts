import { defineRule } from '../src/rule.js';
import { findTable, unmanagedSchema } from '../src/schema/load.js';
import { didYouMean, hint, isSystemCatalog, nameRangeIn, SYSTEM_TABLES } from '../src/schema/names.js';
import { HOLE_IDENT } from '../src/model/block.js';

/** Text the JS/TS embedder puts where a hole stands (`__sqlperf_p1`, `__sqlperf_t`, `__sqlperf_end`). */
const PLACEHOLDER = /__sqlperf_/i;

export default defineRule({
  name: 'unknown-table',
  category: 'correctness',
  // a schema read from migrations misses temp tables, tables of other tools and names a later fragment defines:
  // a warning (--verify's invalid-query is the certain version)
  severity: 'warn',
  constructs: ['schema'],
  // measured on 9 real applications (docs/precision.md): 0 of 16: temp tables, names other fragments define;
  // on request until it holds at 70% or more
  recommended: false,
  // a migration ran against the schema of its time, not the final one
  contexts: ['app', 'script', 'test'],
  description: 'Disallow tables that the schema does not have (needs a schema)',
  messages: {
    unknown: 'table {{name}} is not in the schema{{hint}}',
  },
  docs: {
    why: 'A table name that is not in the schema is a typo or a stale query: it fails at run time, often on a code path that tests do not reach. Only runs when sqlperf knows the schema (migrations or a schema dump). In SQL built in JS/TS, a name made from a template hole and a statement whose WITH list comes from a hole are not checked: sqlperf cannot see the names defined there, and says nothing rather than something wrong. Nor when the migrations alter, index or reference a table they never create: then they are not the whole schema (the tables come from an ORM\'s schema file or another tool), and a name missing from them proves nothing.',
    bad: 'SELECT id FROM ordres WHERE id = $1',
    good: 'SELECT id FROM orders WHERE id = $1',
    schema: 'CREATE TABLE orders (id bigint PRIMARY KEY);',
  },
  check(ctx) {
    const schema = ctx.schema;
    // the migrations change tables they never create: they are not the whole schema, so a missing name proves nothing
    if (!schema || schema.uncreated?.size) return;
    // a template hole holds a WITH list (`WITH ${ctes} SELECT ...`): any name may be defined there
    if (ctx.blocks.some((b) => b.ctes.some((c) => PLACEHOLDER.test(c.name)))) return;
    for (const b of ctx.blocks) {
      for (const t of [...(b.target ? [b.target] : []), ...b.from]) {
        // a name built from a hole (`${prefix}_events`) or the table a fragment is wrapped around is not a name to check
        if (t.kind !== 'table' || t.hole || !t.name || HOLE_IDENT.test(t.name) || PLACEHOLDER.test(t.name) || (t.schema !== null && PLACEHOLDER.test(t.schema))) continue;
        if (isSystemCatalog(t.name, t.schema) || SYSTEM_TABLES.has(t.name.toLowerCase())) continue;
        // a schema no migration creates a table in (`auth.users`, `extensions.x`) is managed elsewhere
        if (findTable(schema, t.name, t.schema) || unmanagedSchema(schema, t.schema)) continue;
        const best = didYouMean(t.name, [...schema.tables.values()].map((x) => x.name));
        ctx.report({ range: nameRangeIn(ctx.text, t.range, t.name), messageId: 'unknown', data: { name: t.name, hint: hint(best) } });
      }
    }
  },
});
