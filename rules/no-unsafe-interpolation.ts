import { constResolver, holeExpression, includesNumber, isAllowListed, isFreeString, isSafeValue, isUnsafeRawCall, paramType, unwrap } from '../src/embed/host-code.js';
import { holeShapes, type FillKind } from '../src/embed/hole-shapes.js';
import { defineHostRule } from '../src/rule.js';

/** Where a hole stands for a value (so a bind parameter could take its place). */
const VALUE_KINDS = new Set<FillKind>(['value', 'list', 'text']);
/** SQL before a hole that makes it a value: a comparison, LIKE, IN, BETWEEN ... AND, LIMIT, OFFSET. */
const VALUE_BEFORE = /(?:[=<>]|\blike|\bilike|\bin|\bbetween|\blimit|\boffset|\bbetween\s+\S+\s+and)\s*\(?\s*$/i;

/** SQL before a hole that makes it a name: a table (`FROM`, `JOIN`, `INTO`, `UPDATE`), a column to sort or group by. */
const NAME_BEFORE = /\b(?:from|join|into|update|table|order\s+by|group\s+by)\s*$/i;

/**
 * Is the hole a value by the SQL before it? A select-list item, a `WHERE ${cond}` or a
 * `${fn(...)}` that returns SQL is a fragment the code composes, not a value.
 */
function valueContext(before: string): boolean {
  if (VALUE_BEFORE.test(before)) return true;
  if (!/[(,]\s*$/.test(before)) return false;
  // inside `VALUES (...)` or `IN (...)`: find the innermost open bracket
  let depth = 0;
  for (let i = before.length - 1; i >= 0; i--) {
    const c = before[i];
    if (c === ')') depth++;
    else if (c === '(') {
      if (depth === 0) return /\b(?:values|in)\s*$/i.test(before.slice(0, i)) || /\bvalues\s*(?:\([^()]*\)\s*,\s*)*$/i.test(before.slice(0, i));
      depth--;
    }
  }
  return false;
}

function short(text: string): string {
  const one = text.replace(/\s+/g, ' ');
  return one.length > 60 ? `${one.slice(0, 57)}...` : one;
}

export default defineHostRule({
  name: 'no-unsafe-interpolation',
  category: 'security',
  severity: 'warn',
  // measured on 9 real applications (docs/precision.md): 1 of 10 (round 3): values made from constants, numbers coerced upstream, dates;
  // on request until it holds at 70% or more
  recommended: false,
  description: 'Disallow values interpolated or concatenated into SQL text instead of bind parameters',
  messages: {
    interpolated: '{{expr}} is interpolated into the SQL text; pass it as a bind parameter ($1 / ?) or use a parameterizing sql tag',
    quoted: "{{expr}} is put inside a SQL string literal, where a quote in it ends the string; pass it as a bind parameter instead",
    concatenated: '{{expr}} is concatenated into the SQL text; pass it as a bind parameter ($1 / ?)',
    rawHelper: '{{expr}} puts a value into the SQL text as it is, inside a parameterized query; interpolate the value itself (it becomes a bind parameter) or give raw() only constants',
    identifier: '{{expr}} is a string from outside put into the SQL text as a name; check it against an allow-list of names (ALLOWED.includes(x)) or quote it with an identifier helper',
  },
  docs: {
    why: 'A value written into the SQL text is parsed as SQL: a quote or keyword in it changes the statement (SQL injection), and every distinct value is a new statement for the plan cache. Bind parameters keep values out of the text. Tagged templates of parameterizing libraries (sql`...` of postgres.js, slonik, drizzle, kysely, Prisma.sql and $queryRaw) already send `${}` values as parameters; plain template strings, string concatenation, $queryRawUnsafe and sql.unsafe do not. Only a value that can carry arbitrary text is reported. Silent: constants (literals, UPPER_CASE names, enums, numbers), const arrays of literals and lists built from them (KINDS.map(quote).join(\', \')), identifier and quoting helpers (sql.identifier, escapeIdentifier, quote_literal), placeholder lists; parameters typed number, bigint, boolean, Date or unions of literals (a union with string is not safe, except in LIMIT/OFFSET where `number | string` is taken as the number it is meant to be); values of known-safe producers (Number(), parseInt, .length, .toISOString(), String() or .toString() of a number; JSON.stringify is not one); trusted configuration of the process (process.env.X, this.options.x, this.config.x, the options/config parameter of a constructor); a parameter of a function the file keeps to itself (not exported) when every call of it in the file passes a string literal. Reported: request data, parameters typed string, untyped parameters of exported functions, anything the code does not show to be fixed.',
    bad: 'await db.query(`SELECT id FROM users WHERE email = \'${email}\'`);',
    good: 'await db.query(`SELECT id FROM users WHERE email = $1`, [email]);',
  },
  checkSite(site, ctx) {
    const root = site.node;
    if (!root || site.kind === 'string' || !site.holes.length) return;
    const resolve = constResolver(ctx.parent, root, true);
    // the fill each hole got in the SQL that parsed; without one, the shape from the text around it
    const parsed = ctx.embedded?.parsed ? ctx.embedded : null;
    const fills = new Map<number, FillKind>();
    if (parsed) for (const h of parsed.holes) if (h.origin === 'template') fills.set(h.host.start, h.as);
    const shapes = holeShapes(site);
    site.holes.forEach((hole, i) => {
      if (hole.join) return;
      const expr = holeExpression(site, hole);
      if (!expr) return;
      // several operands of a concatenation in one hole: no one value the code shows to be safe
      const value = expr.type === 'SequenceOfOperands' ? undefined : expr;
      const range = { start: hole.start, end: hole.end };
      if (site.parameterized) {
        // the library binds values; only a raw helper given a variable puts text in (a helper's own call builds SQL)
        const call = value && unwrap(value);
        const arg = call?.type === 'CallExpression' ? call.arguments[0] : undefined;
        const shape = shapes[i]!;
        const valueLike = (shape.kind === 'text' && shape.quote === "'") || valueContext(shape.before);
        if (value && arg && valueLike && unwrap(arg).type !== 'CallExpression' && isUnsafeRawCall(value, resolve)) ctx.report({ range, messageId: 'rawHelper', data: { expr: short(ctx.source(range)) } });
        return;
      }
      const shape = shapes[i]!;
      // glued to a name (`data${suffix}`, `${prefix}_id`): part of an identifier, not a value
      if (/[\w$]$/.test(shape.before) && !shape.before.endsWith('$') && shape.kind !== 'text') return;
      const kind: FillKind = parsed ? (fills.get(hole.start) ?? shape.kind) : shape.kind;
      // `FROM ${table}`, `ORDER BY ${col}`: a name; an error only for a string from outside that no allow-list checked
      if (kind !== 'text' && NAME_BEFORE.test(shape.before)) {
        if (value && isFreeString(value, ctx.parent, root) && !isAllowListed(value, ctx.parent, root, site.code)) ctx.report({ range, messageId: 'identifier', data: { expr: short(ctx.source(range)) } });
        return;
      }
      if (!VALUE_KINDS.has(kind)) return;
      // inside "..." or `...` it is a quoted name (a table, a constraint), not a string; in MySQL and MariaDB "..." is a string
      const dialect = ctx.dialect;
      const doubleQuotedString = shape.quote === '"' && (dialect === 'mysql' || dialect === 'mariadb');
      if (kind === 'text' && shape.quote !== "'" && !shape.quote?.startsWith('$') && !doubleQuotedString) return;
      if (kind !== 'text' && !valueContext(shape.before)) return;
      if (!parsed && kind !== 'text' && !site.certain && !site.clickhouse) return;
      const text = short(ctx.source(range));
      if (value && (isSafeValue(value, resolve) || isAllowListed(value, ctx.parent, root, site.code))) return;
      // `LIMIT ${limit}` with `limit: number | string`: the number intent is explicit
      const bare = value && unwrap(value);
      if (/\b(?:limit|offset)\s*$/i.test(shape.before) && bare?.type === 'Identifier' && includesNumber(paramType(bare, ctx.parent, root))) return;
      ctx.report({ range, messageId: kind === 'text' ? 'quoted' : site.kind === 'concat' ? 'concatenated' : 'interpolated', data: { expr: text } });
    });
  },
});
