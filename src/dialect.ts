/** The SQL dialects sqlperf understands. PostgreSQL is parsed by libpg-query, the rest by node-sql-parser. */
export const DIALECTS = ['postgresql', 'mysql', 'mariadb', 'sqlite', 'bigquery', 'transactsql', 'snowflake'] as const;
export type Dialect = (typeof DIALECTS)[number];

const ALIASES: Record<string, Dialect> = {
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
};

/** Accepts common spellings (`postgres`, `tsql`, `mssql`); returns undefined for anything else. */
export function normalizeDialect(name: string): Dialect | undefined {
  return ALIASES[name.toLowerCase()];
}
