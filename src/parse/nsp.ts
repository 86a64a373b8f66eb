import { createRequire } from 'node:module';
import vm from 'node:vm';
import type { Dialect } from '../dialect.js';

/**
 * node-sql-parser for the non-PostgreSQL dialects, one per-dialect build each (the full build
 * loads several times slower). Builds are CommonJS, so they load synchronously on first use.
 */
const require = createRequire(import.meta.url);

interface NspParser {
  astify(sql: string, opt: object): unknown;
}

const BUILD: Record<Exclude<Dialect, 'postgresql'>, string> = {
  mysql: 'mysql',
  mariadb: 'mariadb',
  sqlite: 'sqlite',
  bigquery: 'bigquery',
  transactsql: 'transactsql',
  snowflake: 'snowflake',
};

const parsers = new Map<string, NspParser>();

function parserFor(dialect: Exclude<Dialect, 'postgresql'>): NspParser {
  let p = parsers.get(dialect);
  if (!p) {
    const mod = require(`node-sql-parser/build/${BUILD[dialect]}.js`) as { Parser: new () => NspParser };
    p = new mod.Parser();
    parsers.set(dialect, p);
  }
  return p;
}

export type NspNode = Record<string, unknown> & { type?: string };
export type NspParse =
  | { ok: true; asts: NspNode[] }
  | { ok: false; kind: 'syntax' | 'semantic' | 'crash' | 'timeout'; message: string; offset: number | undefined };

let guardContext: vm.Context | undefined;
const guardScript = new vm.Script('parser.astify(sql, opt)');

/**
 * Parses one statement. `guard` runs the parser under a time limit: its grammar does not memoise
 * and some nestings take exponential time, so risky input (deep brackets) gets a hard stop.
 */
export function parseNsp(text: string, dialect: Exclude<Dialect, 'postgresql'>, guardMs: number | undefined): NspParse {
  const parser = parserFor(dialect);
  const opt = { database: BUILD[dialect], parseOptions: { includeLocations: true }, trimQuery: false };
  try {
    let res: unknown;
    if (guardMs !== undefined) {
      guardContext ??= vm.createContext({});
      Object.assign(guardContext, { parser, sql: text, opt });
      res = guardScript.runInContext(guardContext, { timeout: guardMs });
    } else {
      res = parser.astify(text, opt);
    }
    const list = (Array.isArray(res) ? res : [res]).filter((a) => a && typeof a === 'object' && !Array.isArray(a)) as NspNode[];
    return { ok: true, asts: list };
  } catch (e) {
    const err = e as { name?: string; message?: string; code?: string; found?: string | null; location?: { start?: { offset?: number } } };
    if (err?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
      return { ok: false, kind: 'timeout', message: `the parser gave up after ${guardMs} ms on this statement`, offset: undefined };
    }
    if (err?.name === 'SyntaxError' && err.location?.start) {
      const found = err.found;
      const message = found == null ? 'syntax error at end of input' : `syntax error at or near "${found}"`;
      return { ok: false, kind: 'syntax', message, offset: err.location.start.offset };
    }
    if (err?.name === 'RangeError' || err?.name === 'TypeError' || err?.name === 'ReferenceError') {
      return { ok: false, kind: 'crash', message: `not analysed: node-sql-parser cannot handle this statement (${err.name})`, offset: undefined };
    }
    return { ok: false, kind: 'semantic', message: String(err?.message ?? e), offset: undefined };
  }
}
