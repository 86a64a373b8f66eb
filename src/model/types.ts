import type { Range } from '../range.js';

/**
 * The query model: what rules, cost and index suggestions read instead of a parser's AST.
 * Both builders (libpg-query and node-sql-parser) produce it; every element keeps its range.
 */

export type Expr =
  | ColumnExpr
  | LiteralExpr
  | ParamExpr
  | FuncExpr
  | BinaryExpr
  | UnaryExpr
  | ListExpr
  | SubqueryExpr
  | CaseExpr
  | CastExpr
  | OtherExpr;

interface ExprBase {
  range: Range;
}

export interface ColumnExpr extends ExprBase {
  type: 'column';
  /** Qualifier as written (alias or table name), lower-cased unless quoted. */
  qualifier: string | null;
  /** Column name; `*` for `t.*` / `*`. */
  name: string;
  /** Filled by scope resolution: the real table (never an alias) and the query block it belongs to. */
  table?: string | null;
  scope?: QueryBlock | null;
  /** The FROM item (or DML target) of the real table the column reads, with its schema: same-named tables of two schemas, and the two sides of a self-join, are told apart by it. */
  ref?: TableRef | null;
  /** The column belongs to an enclosing query (a correlated reference). */
  outer?: boolean;
}

export interface LiteralExpr extends ExprBase {
  type: 'literal';
  kind: 'string' | 'number' | 'boolean' | 'null' | 'other';
  value: string | number | boolean | null;
}

/** A bind parameter ($1, ?, :name) or a JS/TS template hole that stands for a value. */
export interface ParamExpr extends ExprBase {
  type: 'param';
  name: string;
}

export interface FuncExpr extends ExprBase {
  type: 'func';
  /** Lower-case, without schema (`pg_catalog.lower` -> `lower`). */
  name: string;
  args: Expr[];
  /** `count(*)` */
  star: boolean;
  distinct: boolean;
  aggregate: boolean;
  window: boolean;
  /** ORDER BY inside the call, FILTER (WHERE ...), OVER (...) expressions */
  extra: Expr[];
  nameRange: Range;
}

export interface BinaryExpr extends ExprBase {
  type: 'binary';
  /**
   * Upper-case SQL operator: AND OR = <> < <= > >= LIKE ILIKE NOT LIKE NOT ILIKE SIMILAR TO
   * NOT SIMILAR TO IN NOT IN BETWEEN NOT BETWEEN IS IS NOT IS DISTINCT FROM IS NOT DISTINCT FROM
   * ANY ALL (for `x = ANY(...)` the op is `= ANY`), || + - * / % and any other operator as written.
   */
  op: string;
  left: Expr;
  right: Expr;
  /** Where the operator itself is (falls back to the whole expression). */
  opRange: Range;
}

export interface UnaryExpr extends ExprBase {
  type: 'unary';
  /** NOT, EXISTS, NOT EXISTS, -, IS NULL, IS NOT NULL, IS TRUE ... */
  op: string;
  arg: Expr;
}

export interface ListExpr extends ExprBase {
  type: 'list';
  items: Expr[];
}

export interface SubqueryExpr extends ExprBase {
  type: 'subquery';
  query: QueryBlock;
}

export interface CaseExpr extends ExprBase {
  type: 'case';
  /** Operand, WHEN conditions, THEN results and ELSE, in source order. */
  parts: Expr[];
}

export interface CastExpr extends ExprBase {
  type: 'cast';
  arg: Expr;
  typeName: string;
}

/** Anything else (arrays, row constructors, intervals, JSON paths...) with its children kept. */
export interface OtherExpr extends ExprBase {
  type: 'other';
  kind: string;
  children: Expr[];
}

export type Clause = 'select' | 'from' | 'join' | 'where' | 'groupBy' | 'having' | 'orderBy' | 'limit' | 'set' | 'values' | 'returning' | 'window' | 'conflict';

export interface TableRef {
  kind: 'table' | 'cte' | 'derived' | 'function' | 'values';
  /** Real table name (lower-cased unless quoted) for `table`, CTE name for `cte`; null otherwise. */
  name: string | null;
  schema: string | null;
  alias: string | null;
  range: Range;
  /** The derived table's or CTE's query. */
  query?: QueryBlock;
  /** For a `cte` reference, the CTE it names. */
  cte?: Cte;
  lateral: boolean;
  /** A template hole stood here; the name is unknown. */
  hole: boolean;
}

export interface Join {
  kind: 'inner' | 'left' | 'right' | 'full' | 'cross' | 'comma' | 'natural';
  /** The table joined in (the right side). */
  table: TableRef;
  on: Expr | null;
  using: string[] | null;
  /** From the JOIN keyword (or the table for comma joins) to the end of its condition. */
  range: Range;
}

export interface SelectItem {
  expr: Expr;
  alias: string | null;
  range: Range;
}

export interface OrderItem {
  expr: Expr;
  direction: 'asc' | 'desc' | null;
  range: Range;
}

export interface Cte {
  name: string;
  columns: string[] | null;
  query: QueryBlock;
  recursive: boolean;
  range: Range;
}

export interface SetOperator {
  op: 'union' | 'intersect' | 'except';
  all: boolean;
  /** The operator keyword, e.g. `UNION`. */
  range: Range;
}

/** `a UNION b EXCEPT c`: branches in order, operators between them (operators[i] joins branch i and i+1). */
export interface SetOperation {
  branches: QueryBlock[];
  operators: SetOperator[];
}

/** Where a query block stands in its parent. */
export type BlockContext = 'statement' | 'cte' | 'from' | 'setop' | 'scalar' | 'exists' | 'in' | 'any' | 'insert-source' | 'other';

/** One SELECT / INSERT / UPDATE / DELETE / VALUES query, with its own scope. */
export interface QueryBlock {
  type: 'select' | 'insert' | 'update' | 'delete' | 'merge' | 'values' | 'setop';
  range: Range;
  parent: QueryBlock | null;
  context: BlockContext;
  /** The clause of the parent the block sits in (for subqueries). */
  parentClause: Clause | null;
  /** 0 for the statement's top query; +1 per nesting level (CTEs and set branches count as their parent's level). */
  depth: number;

  ctes: Cte[];
  /** Every table reference in FROM / JOIN / USING of this block, in source order. */
  from: TableRef[];
  joins: Join[];
  /** The target of INSERT / UPDATE / DELETE / MERGE. */
  target: TableRef | null;
  selectItems: SelectItem[];
  where: Expr | null;
  groupBy: Expr[];
  having: Expr | null;
  orderBy: OrderItem[];
  limit: Expr | null;
  offset: Expr | null;
  distinct: null | { on: Expr[] | null; range: Range };
  setOp: SetOperation | null;
  /** INSERT column list (null when omitted), VALUES rows, SET assignments, RETURNING. */
  insertColumns: string[] | null;
  values: Expr[][];
  assignments: { column: string; value: Expr; range: Range }[];
  returning: SelectItem[];
  onConflict: Expr[];
  locking: string | null;
  /** Subqueries directly inside this block (not in nested blocks). */
  children: QueryBlock[];
  /** Columns of enclosing queries referenced here or below: the block is correlated. */
  outerRefs: ColumnExpr[];
}

export interface StatementModel {
  kind: 'select' | 'insert' | 'update' | 'delete' | 'merge' | 'values' | 'other';
  /** The statement's leading keyword(s) for `other` (DDL, SET, BEGIN...), e.g. `CREATE TABLE`. */
  keyword: string;
  range: Range;
  /** The top query, null for statements sqlperf does not model (DDL and utility). */
  root: QueryBlock | null;
  /** Every query block of the statement, parents before children. */
  blocks: QueryBlock[];
  /**
   * The statement is a sqlc query (`-- name: GetUser :one` before it): sqlc generates its code and
   * expands `SELECT *` into the column list at generation time.
   */
  sqlc?: { name: string; command: string };
  /**
   * The constructs the statement contains, as bits of `CONSTRUCTS` (src/model/constructs.ts); the
   * engine skips the rules whose constructs are absent. Undefined (a model made by hand): all.
   */
  constructs?: number;
}
