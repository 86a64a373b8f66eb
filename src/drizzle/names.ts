/**
 * SQL names of Drizzle tables and columns: a column declared without a name takes its property
 * key, converted by drizzle's `casing` option (`drizzle(client, { casing: 'snake_case' })`, and
 * drizzle-kit's config likewise); quoted as the dialect quotes identifiers, as drizzle renders them.
 */
import type { Dialect } from '../dialect.js';
import type { DrizzleColumn, DrizzleTable } from './tables.js';

/** `none`: keys are used as they are (drizzle's default). */
export type Casing = 'none' | 'snake_case' | 'camelCase';

/** The `casing` a file sets for drizzle, if any. */
export function readCasing(code: string): Casing | undefined {
  if (!code.includes('casing') || !code.includes('drizzle')) return undefined;
  const m = /\bcasing\s*:\s*['"`](snake_case|camelCase)['"`]/.exec(code);
  return m ? (m[1] as Casing) : undefined;
}

/** The words of a key: `senderEmail` -> sender, email; `userID2` -> user, id2; `api_key` -> api, key. */
function words(key: string): string[] {
  return key.match(/[A-Z]+(?![a-z])\d*|[A-Z]?[a-z]+\d*|\d+/g) ?? [key];
}

function snake(key: string): string {
  return words(key)
    .map((w) => w.toLowerCase())
    .join('_');
}

function camel(key: string): string {
  return words(key)
    .map((w, i) => (i === 0 ? w.toLowerCase() : w.charAt(0).toUpperCase() + w.slice(1).toLowerCase()))
    .join('');
}

/**
 * The SQL name of a column; undefined when it depends on a casing the project does not settle (its
 * settings disagree) and the key would change under it.
 */
export function columnName(key: string, col: DrizzleColumn, casing: Casing | undefined): string | undefined {
  if (col.name !== undefined) return col.name;
  if (casing === 'none') return key;
  if (casing === 'snake_case') return snake(key);
  if (casing === 'camelCase') return camel(key);
  // unsettled: only a key that every casing leaves alone
  return snake(key) === key && camel(key) === key ? key : undefined;
}

/** An identifier quoted as the dialect quotes it (drizzle always quotes). */
export function quoteIdent(name: string, dialect: Dialect): string {
  if (dialect === 'mysql' || dialect === 'mariadb' || dialect === 'bigquery') return `\`${name.replace(/`/g, '``')}\``;
  if (dialect === 'transactsql') return `[${name.replace(/]/g, ']]')}]`;
  return `"${name.replace(/"/g, '""')}"`;
}

/** The table as drizzle renders it: `"auth"."users"`, `"inbox"`. */
export function tableSql(t: DrizzleTable, dialect: Dialect): string {
  return t.schema !== undefined ? `${quoteIdent(t.schema, dialect)}.${quoteIdent(t.name, dialect)}` : quoteIdent(t.name, dialect);
}

/** A column as drizzle renders it in a `sql` template: qualified by its table's name (`"inbox"."sender_email"`). */
export function columnSql(t: DrizzleTable, column: string, dialect: Dialect): string {
  return `${quoteIdent(t.name, dialect)}.${quoteIdent(column, dialect)}`;
}
