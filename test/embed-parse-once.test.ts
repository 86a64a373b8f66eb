/**
 * A site's SQL is parsed once: the fill search parses the text it builds as `analyze` would
 * (src/embed/fill-search.ts), and the site's analysis reads those statements (`takeStatements`)
 * instead of parsing the same text again. What the analysis finds must be what a fresh parse gives.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../src/api.js';
import { analyze } from '../src/analyze.js';
import type { Dialect } from '../src/dialect.js';
import { embedSql, findSqlSites } from '../src/embed/index.js';
import { parseHost } from '../src/embed/parse-host.js';
import { takeStatements } from '../src/embed/template.js';
import { ALL } from './helpers/all-rules.js';

beforeAll(async () => {
  await ready();
});

const CODE = [
  "await db.query(`SELECT * FROM users WHERE email LIKE '%' || $1 ORDER BY random()`, [q]);",
  'const a = sql`SELECT id FROM orders WHERE status = ${status} AND id NOT IN (SELECT order_id FROM refunds)`;',
  'const b = sql`UPDATE ${table} SET n = n + 1 WHERE id = ${id}`;',
  "const c = sql`CREATE INDEX orders_user ON orders (user_id); SELECT count(*) FROM orders WHERE lower(note) = 'x'`;",
  "knex('t').whereRaw('lower(name) = ?', [name]);",
  'const d = sql`SELEC id FROM t WHERE a = ${a}`;',
].join('\n');

/** Diagnostics and statement kinds of an analysis, comparable. */
const outcome = (r: ReturnType<typeof analyze>) => ({ kinds: r.statements.map((s) => s.kind), diagnostics: r.diagnostics.map((d) => `${d.ruleId} ${d.start}-${d.end} ${d.message}`) });

describe('the fill search parse serves the analysis', () => {
  for (const dialect of ['postgresql', 'mysql'] as Dialect[]) {
    it(`${dialect}: the analysis of the kept statements equals that of a fresh parse`, () => {
      const host = parseHost(CODE, 'x.ts');
      if (!host.ok) throw new Error(host.message);
      const sites = findSqlSites(host.program, CODE);
      expect(sites).toHaveLength(6);
      let findings = 0;
      for (const site of sites) {
        const embedded = embedSql(site, dialect);
        const statements = takeStatements(embedded);
        expect(statements, site.via).toBeDefined();
        // taken once: a second caller parses for itself
        expect(takeStatements(embedded)).toBeUndefined();
        const kept = outcome(analyze(embedded.sql, { dialect, rules: ALL, statements }));
        const fresh = outcome(analyze(embedded.sql, { dialect, rules: ALL }));
        expect(kept).toEqual(fresh);
        findings += fresh.diagnostics.length;
      }
      expect(findings).toBeGreaterThan(4);
    });
  }

  it('analyze reads the statements it is given, not the text again', () => {
    const host = parseHost(CODE, 'x.ts');
    if (!host.ok) throw new Error(host.message);
    const [select, , update] = findSqlSites(host.program, CODE).map((s) => embedSql(s, 'postgresql'));
    const statements = takeStatements(update!);
    expect(analyze(select!.sql, { statements }).statements.map((s) => s.kind)).toEqual(['update']);
    // with limits of its own, it parses
    expect(analyze(select!.sql, { statements, limits: {} }).statements.map((s) => s.kind)).toEqual(['select']);
  });
});
