/** The SQL dialects sqlperf understands. PostgreSQL is parsed by libpg-query, the rest by node-sql-parser. */
export const DIALECTS = ['postgresql', 'mysql', 'mariadb', 'sqlite', 'bigquery', 'transactsql', 'snowflake'] as const;
export type Dialect = (typeof DIALECTS)[number];

// a map without a prototype: `constructor` or `__proto__` is an unknown name, not Object's property
const ALIASES: Record<string, Dialect> = Object.assign(Object.create(null) as Record<string, Dialect>, {
  postgres: 'postgresql',
  postgresql: 'postgresql',
  pg: 'postgresql',
  mysql: 'mysql',
  mariadb: 'mariadb',
  sqlite: 'sqlite',
  bigquery: 'bigquery',
  tsql: 'transactsql',
  transactsql: 'transactsql',
  mssql: 'transactsql',
  sqlserver: 'transactsql',
  snowflake: 'snowflake',
});

/** Accepts common spellings (`postgres`, `tsql`, `mssql`); returns undefined for anything else. */
export function normalizeDialect(name: unknown): Dialect | undefined {
  if (typeof name !== 'string') return undefined;
  const key = name.toLowerCase();
  return Object.hasOwn(ALIASES, key) ? ALIASES[key] : undefined;
}
