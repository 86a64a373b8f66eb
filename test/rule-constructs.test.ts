import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, ready, rules } from '../src/api.js';
import { checkRule } from '../src/check-rule.js';
import type { Dialect } from '../src/dialect.js';
import { constructMask, constructNames, CONSTRUCTS } from '../src/model/constructs.js';
import type { StatementModel } from '../src/model/types.js';
import type { AnyRule } from '../src/rule.js';
import { discoverSchemaFiles, loadSchema, readSchemaFiles, type Schema } from '../src/schema/index.js';
import { schemaForText } from '../src/schema/load.js';
import { readFixture } from './helpers/fixtures.js';

beforeAll(() => ready());

function models(sql: string, dialect: Dialect = 'postgresql'): StatementModel[] {
  return analyze(sql, { dialect, modelOnly: true }).statements.flatMap((s) => (s.model ? [s.model] : []));
}

/** The constructs noted for one statement, by name. */
function noted(sql: string, dialect: Dialect = 'postgresql'): string[] {
  const [m] = models(sql, dialect);
  return constructNames(m!.constructs!);
}

describe('constructs noted while the model is finished', () => {
  it.each([
    ['SELECT a FROM t WHERE id = $1', []],
    ['SELECT a FROM t JOIN u ON u.id = t.uid', ['join']],
    ['SELECT a FROM t, u', ['join', 'crossJoin']],
    ['SELECT a FROM t CROSS JOIN u', ['join', 'crossJoin']],
    ['SELECT a, (SELECT max(b) FROM u WHERE u.t = t.id) FROM t', ['correlated']],
    ['SELECT DISTINCT a FROM t', ['distinct']],
    ['SELECT a, count(*) FROM t GROUP BY a HAVING a > 1', ['having', 'count']],
    ['SELECT a FROM t ORDER BY a LIMIT 10 OFFSET 20', ['offset']],
    ['SELECT a FROM t ORDER BY random()', ['randomOrder']],
    ['SELECT a FROM t ORDER BY lower(a)', []],
    ['SELECT t.* FROM t', ['star']],
    ['SELECT count(*) FROM t', ['count']],
    ['SELECT a FROM t UNION SELECT a FROM u', ['union']],
    ['SELECT a FROM t UNION ALL SELECT a FROM u', []],
    ["INSERT INTO t VALUES (1, 'x')", ['insert']],
    ['UPDATE t SET a = 1 WHERE id = 2', ['update']],
    ['DELETE FROM t', ['delete']],
    ['SELECT a FROM t WHERE a IN (1, 2)', ['inList']],
    ['SELECT a FROM t WHERE a NOT IN (SELECT b FROM u)', ['notInSubquery']],
    ['SELECT a FROM t WHERE a IN (SELECT b FROM u)', []],
    ["SELECT a FROM t WHERE a ILIKE '%x'", ['like']],
    ['SELECT a FROM t WHERE a = 1 OR b = 2', ['or']],
    ['SELECT a FROM t WHERE a <> 1', ['notEqual']],
    ['SELECT a FROM t WHERE lower(a) = $1', ['computedOperand']],
    ['SELECT a FROM t WHERE a::int = 1', ['computedOperand']],
    ['SELECT a FROM t WHERE a * 2 > 10', ['computedOperand']],
    ['SELECT a FROM t WHERE (a = 1 AND b = 2) = true', []],
  ])('%s', (sql, expected) => {
    expect(noted(sql)).toEqual(expected);
  });

  it('notes them in the node-sql-parser model too', () => {
    expect(noted("SELECT * FROM t WHERE a LIKE '%x' OR b <> 1 LIMIT 5 OFFSET 10", 'mysql')).toEqual(['offset', 'star', 'like', 'or', 'notEqual']);
  });

  it('notes nothing for a statement without query blocks', () => {
    expect(noted('CREATE INDEX i ON t (a)')).toEqual([]);
  });
});

const fixtures = join(import.meta.dirname, '..', 'fixtures');

function fixtureSchema(name: string, dialect: Dialect): Schema {
  const dir = join(fixtures, 'schema', name);
  return loadSchema(readSchemaFiles(dir, discoverSchemaFiles(dir)?.files ?? []), dialect);
}

interface Case {
  /** The rule whose fixture folder holds the file, and the options its header gives. */
  owner: string;
  options: Record<string, unknown> | undefined;
  text: string;
  dialect: Dialect;
  /** The schema as analyze sees it: the fixture's project plus what the text itself creates. */
  schema: Schema | undefined;
  models: StatementModel[];
}

let cases: Case[] | undefined;

/** Every rule fixture, in each of its dialects, modelled once: SQL that exercises every rule. */
function allFixtures(): Case[] {
  if (cases) return cases;
  const root = join(fixtures, 'rules');
  cases = [];
  for (const owner of readdirSync(root)) {
    for (const file of readdirSync(join(root, owner)).filter((f) => f.endsWith('.sql'))) {
      const fx = readFixture(join(root, owner, file));
      for (const dialect of fx.dialects) {
        const schema = fx.schema ? schemaForText(fixtureSchema(fx.schema, dialect), fx.text, dialect) : undefined;
        cases.push({ owner, options: fx.options, text: fx.text, dialect, schema, models: models(fx.text, dialect) });
      }
    }
  }
  return cases;
}

/**
 * The engine skips a rule on a statement that lacks its constructs. Called anyway, on every
 * statement of every rule fixture, the rule must find nothing there: the constructs it lists are
 * all it can report on.
 */
describe('a rule reports only on statements with the constructs it lists', () => {
  const sqlRules = rules.filter((r) => !r.checkSite && r.constructs);
  it.each(sqlRules.map((r) => [r.name, r] as const))('%s', (_, rule: AnyRule) => {
    const mask = constructMask(rule.constructs);
    let reported = 0;
    const outside: string[] = [];
    for (const fx of allFixtures()) {
      const options = (fx.owner === rule.name ? fx.options : undefined) ?? rule.defaultOptions ?? {};
      for (const model of fx.models) {
        const have = model.constructs! | (fx.schema ? CONSTRUCTS.schema : 0);
        checkRule(rule, { model, text: fx.text, dialect: fx.dialect, schema: fx.schema }, options, () => {
          reported++;
          if ((have & mask) === 0) outside.push(`${fx.dialect}: ${fx.text.slice(model.range.start, model.range.end)}`);
        });
      }
    }
    expect(outside).toEqual([]);
    // the fixtures do exercise the rule, so the check above can fail
    expect(reported).toBeGreaterThan(0);
  });
});
