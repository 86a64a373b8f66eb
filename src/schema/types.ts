import type { Dialect } from '../dialect.js';
import type { Range } from '../range.js';
import type { QueriedOptions } from './queried.js';

/**
 * The schema model: tables, columns, indexes and foreign keys as the project's DDL leaves them
 * (migrations applied in order, or a schema dump). Names are kept as the parser gives them:
 * lower-cased unless quoted.
 */
export interface SchemaFile {
  path: string;
  text: string;
}

/** Where something was declared: a file and offsets into its text. */
export interface SourcePos {
  file: string;
  start: number;
  end: number;
}

export interface SchemaColumn {
  name: string;
  /** Type as written, lower-cased (`int4`, `varchar`); empty when unknown (views). */
  type: string;
  notNull: boolean;
}

/** One key of an index: a column or, for expression indexes, the normalised expression text. */
export interface IndexKey {
  column: string | null;
  expression: string | null;
  desc: boolean;
  /** MySQL prefix key `name(10)`: only the first characters are indexed, so it cannot give the column's order. */
  prefix?: number;
  /**
   * PostgreSQL: an operator class other than the type's default (`text_pattern_ops`, `jsonb_path_ops`)
   * and a collation the key names (`COLLATE "C"`). Keys that differ in either serve different lookups.
   */
  opclass?: string;
  collation?: string;
}

export interface SchemaIndex {
  /** null for unnamed inline keys (MySQL `KEY (a)`) */
  name: string | null;
  table: string;
  keys: IndexKey[];
  unique: boolean;
  /** Backs the primary key. */
  primary: boolean;
  /** Backs a PRIMARY KEY / UNIQUE constraint or is created implicitly (MySQL foreign keys). */
  constraint: boolean;
  implicit: boolean;
  /** Access method, lower-case: btree, hash, gin, gist, brin, fulltext... */
  method: string;
  /** PostgreSQL `INCLUDE (...)`: columns stored in the index without being keys (for index-only scans). */
  include?: string[];
  /** Normalised text of a partial index's WHERE, null for a full index. */
  where: string | null;
  /** Creation order across the whole schema (later indexes have larger numbers). */
  seq: number;
  origin: SourcePos | null;
}

export interface ForeignKey {
  name: string | null;
  table: string;
  columns: string[];
  refTable: string;
  refColumns: string[];
  /** `ON DELETE` as declared (`no action` when not said). */
  onDelete?: FkAction;
  origin: SourcePos | null;
}

export type FkAction = 'no action' | 'restrict' | 'cascade' | 'set null' | 'set default';

export interface SchemaTable {
  name: string;
  schema: string | null;
  kind: 'table' | 'view';
  temporary: boolean;
  columns: SchemaColumn[];
  /** False when the column list could not be known (a view over `*`, `CREATE TABLE ... LIKE`). */
  columnsKnown: boolean;
  indexes: SchemaIndex[];
  foreignKeys: ForeignKey[];
  /** Row count from the `tables` option, when given. */
  rows?: number;
  origin: SourcePos | null;
}

export interface SchemaWarning {
  file: string;
  start: number;
  end: number;
  message: string;
}

export interface TableStats {
  rows?: number;
}

export interface Schema {
  dialect: Dialect;
  /** Keyed by table name as the parser gives it. */
  tables: Map<string, SchemaTable>;
  /** The files applied, in the order they were applied. */
  files: string[];
  /** Statements that could not be parsed, once each, with their position; they were skipped. */
  warnings: SchemaWarning[];
  /**
   * Tables the DDL alters, indexes or references but never creates (lower-cased): the files are
   * not the whole schema (the tables come from an ORM's schema file, another tool, an extension),
   * so a table missing from it proves nothing.
   */
  uncreated?: Set<string>;
  /**
   * The tables the application's own SQL queries (lower-cased; src/schema/queried.ts), when a front
   * end looked: rules whose harm grows with a table's rows report only on these, or on tables the
   * config sizes. Undefined, and no `queriedIn`: nobody looked, every table counts.
   */
  queried?: ReadonlySet<string>;
  /**
   * Absolute folders whose files the schema describes (a monorepo package's schema: that package
   * and its dependents; `schemaAppliesTo`). Undefined: every file.
   */
  scope?: string[];
  /** Where to find `queried` when a rule first asks (the CLI and the plugin set it): the project and how to read its SQL. */
  queriedIn?: { root: string; options: QueriedOptions };
}

/** One schema change read from a DDL statement; `range` is where to report it, in the analysed text. */
export type DdlAction =
  | { op: 'createTable'; table: string; schema: string | null; kind: 'table' | 'view'; temporary: boolean; ifNotExists: boolean; replace: boolean; columns: SchemaColumn[]; columnsKnown: boolean; range: Range }
  | { op: 'addColumn'; table: string; column: SchemaColumn; range: Range }
  | { op: 'dropColumn'; table: string; column: string; range: Range }
  | { op: 'alterColumnType'; table: string; column: string; type: string; range: Range }
  | { op: 'renameColumn'; table: string; from: string; to: string; range: Range }
  | { op: 'renameTable'; table: string; to: string; range: Range }
  | { op: 'dropTable'; table: string; range: Range }
  | { op: 'addIndex'; index: Omit<SchemaIndex, 'seq' | 'origin'>; range: Range }
  | { op: 'dropIndex'; name: string; table: string | null; range: Range }
  | { op: 'renameIndex'; from: string; to: string; range: Range }
  | { op: 'addForeignKey'; fk: Omit<ForeignKey, 'origin'>; range: Range }
  | { op: 'dropConstraint'; table: string; name: string; range: Range }
  | { op: 'dropPrimaryKey'; table: string; range: Range };
