import type { PgStatement } from '../parse/index.js';
import type { Rewrite } from '../parse/normalize.js';
import { TOO_DEEP_NODE, type PgNode } from '../parse/pg.js';
import { span, type Range } from '../range.js';
import { extendToContents, finishStatement, HOLE_IDENT, newBlock } from './block.js';
import { DepthGuard, TooDeepError } from './deep.js';
import { leadingWords, TokenIndex } from './tokens.js';
import type { BlockContext, Clause, Cte, Expr, FuncExpr, Join, OrderItem, QueryBlock, SelectItem, SetOperation, StatementModel, TableRef } from './types.js';
import { AGGREGATES } from './functions.js';

type N = PgNode;
const obj = (v: unknown): N | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as N) : undefined);
const arr = (v: unknown): N[] => (Array.isArray(v) ? (v as N[]) : []);
/** A wrapped node `{ TypeName: {...} }` -> ['TypeName', {...}] */
function unwrap(n: unknown): [string, N] | undefined {
  const k = kindOf(n);
  return k === undefined ? undefined : [k, (n as N)[k] as N];
}
/** The kind of a wrapped node, `TypeName` of `{ TypeName: {...} }`: its first key, without Object.keys' array or unwrap's pair (this runs on every node). */
function kindOf(n: unknown): string | undefined {
  const o = obj(n);
  if (o) for (const k in o) return k || undefined;
  return undefined;
}
/** The body of a wrapped node, `{...}` of `{ TypeName: {...} }`. */
function bodyOf(n: unknown): N | undefined {
  const k = kindOf(n);
  return k === undefined ? undefined : ((n as N)[k] as N);
}
const str = (n: unknown): string => (kindOf(n) === 'String' ? String(bodyOf(n)!.sval ?? '') : '');
const names = (list: unknown): string[] => arr(list).map(str);

/** A FROM item's tables and joins in source order; `first` is its leftmost table. */
interface FromItem {
  tables: TableRef[];
  joins: Join[];
  first: TableRef;
}

/** A left operand that continues the same chain: same operator, and no ORDER BY, LIMIT, WITH or locking of its own (brackets). */
function sameSetOperation(l: N, top: N): boolean {
  return l.op === top.op && Boolean(l.all) === Boolean(top.all) && !l.sortClause && !l.limitCount && !l.limitOffset && !l.withClause && !l.lockingClause;
}

/** `sqlc.arg`, `sqlc.narg`, `sqlc.slice`: sqlc's named parameters, written as calls. */
export function isSqlcParam(name: string[]): boolean {
  return name.length === 2 && name[0]!.toLowerCase() === 'sqlc' && /^(arg|narg|slice)$/i.test(name[1]!);
}

/** Builds the query model from a libpg-query statement. */
export function buildPgModel(stmt: PgStatement, text: string): StatementModel {
  const kind = kindOf(stmt.ast);
  // not a query (DDL, utility): named by its first words, without the builder's token index
  if (kind === undefined || !QUERY_KINDS.has(kind)) {
    const m = finishStatement('other', kind === undefined ? '' : leadingWords(stmt.tokens), stmt.range, null);
    if (stmt.sqlc) m.sqlc = stmt.sqlc;
    return m;
  }
  return new PgBuilder(stmt, text).build();
}

const QUERY_KINDS = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt', TOO_DEEP_NODE]);


class PgBuilder {
  private readonly toks: TokenIndex;
  private readonly guard = new DepthGuard();
  constructor(
    private readonly stmt: PgStatement,
    private readonly text: string,
  ) {
    this.toks = new TokenIndex(stmt.tokens);
  }

  build(): StatementModel {
    const m = this.buildModel();
    if (this.stmt.sqlc) m.sqlc = this.stmt.sqlc;
    return m;
  }

  /** The parameter rewritten (before parsing) at this offset: `:name`, `@name`, `?`, psql `:'var'`... */
  private rewriteAt(offset: number | undefined): Rewrite | undefined {
    if (offset === undefined || !this.stmt.rewrites) return undefined;
    return this.stmt.rewrites.find((r) => r.kind !== 'syntax' && r.start <= offset && offset < r.end);
  }

  private paramOf(r: Rewrite): Expr {
    return { type: 'param', name: r.text, range: { start: r.start, end: r.end } };
  }

  private buildModel(): StatementModel {
    const top = unwrap(this.stmt.ast);
    const range = this.stmt.range;
    if (!top) return finishStatement('other', '', range, null);
    const [kind, node] = top;
    switch (kind) {
      case 'SelectStmt': {
        const root = this.select(node, null, 'statement', null, range);
        return finishStatement(root.type === 'values' ? 'values' : 'select', 'SELECT', range, root);
      }
      case 'InsertStmt':
        return finishStatement('insert', 'INSERT', range, this.insert(node, range));
      case 'UpdateStmt':
        return finishStatement('update', 'UPDATE', range, this.update(node, range));
      case 'DeleteStmt':
        return finishStatement('delete', 'DELETE', range, this.delete(node, range));
      case 'MergeStmt':
        return finishStatement('merge', 'MERGE', range, this.merge(node, range));
      case TOO_DEEP_NODE:
        throw new TooDeepError();
      default:
        return finishStatement('other', leadingWords(this.stmt.tokens), range, null);
    }
  }

  // ---- positions -------------------------------------------------------

  private at(loc: unknown): number | undefined {
    return typeof loc === 'number' && loc >= 0 ? this.stmt.pos(loc) : undefined;
  }

  /**
   * min/max source offsets of every located node under `node`, walked iteratively (a deep tree
   * cannot overflow the stack). Nested queries re-walk their subtrees, but nesting is bounded by
   * MAX_NESTING, and a chain of set operations is flat (one walk per branch).
   */
  private locSpan(node: unknown): Range | undefined {
    let min = Infinity;
    let max = -Infinity;
    const stack: unknown[] = [node];
    while (stack.length) {
      const v = stack.pop();
      if (v === null || typeof v !== 'object') continue;
      if (Array.isArray(v)) {
        for (const x of v) stack.push(x);
        continue;
      }
      for (const k in v) {
        const x = (v as N)[k];
        if (k === 'location' && typeof x === 'number' && x >= 0) {
          const p = this.stmt.pos(x);
          if (p < min) min = p;
          // the end of the token there (tokenRangeAt's, without its range object: this runs on every located node)
          const i = this.toks.indexAt(p);
          const end = i < 0 ? p : this.toks.tokens[i]!.end;
          if (end > max) max = end;
        } else if (x !== null && typeof x === 'object') stack.push(x);
      }
    }
    return min === Infinity ? undefined : { start: min, end: max };
  }

  /** The range of a query that sits in brackets (subquery, CTE body, derived table). */
  private queryRange(node: N, fallback: Range): Range {
    const s = this.locSpan(node);
    if (!s) return fallback;
    const p = this.toks.enclosingParens(s);
    const strictlyInside = p && p.inner.start >= fallback.start && p.inner.end <= fallback.end && (p.inner.start > fallback.start || p.inner.end < fallback.end);
    if (p && strictlyInside) return p.inner;
    const kw = this.toks.keywordBefore(s.start, ['SELECT', 'VALUES', 'WITH'], fallback.start);
    return { start: kw >= 0 ? this.toks.tokens[kw]!.start : s.start, end: s.end };
  }

  private tok(loc: unknown): Range {
    const p = this.at(loc);
    return p === undefined ? this.stmt.range : this.toks.tokenRangeAt(p);
  }

  // ---- statements --------------------------------------------------------

  private withClause(node: N, block: QueryBlock) {
    const w = obj(node.withClause);
    if (!w) return;
    for (const c of arr(w.ctes)) {
      const u = unwrap(c);
      if (!u || u[0] !== 'CommonTableExpr') continue;
      const cte = u[1];
      const q = unwrap(cte.ctequery);
      const nameRange = this.toks.nameRange(this.at(cte.location) ?? block.range.start);
      const qRange = q ? this.queryRange(q[1], block.range) : nameRange;
      const query = q ? this.anyStatement(q, block, 'cte', null, qRange) : newBlock('select', qRange, block, 'cte', null);
      const entry: Cte = { name: String(cte.ctename ?? ''), columns: cte.aliascolnames ? names(cte.aliascolnames) : null, query, recursive: Boolean(w.recursive), range: span(nameRange, qRange) };
      block.ctes.push(entry);
    }
  }

  private anyStatement(u: [string, N], parent: QueryBlock | null, context: BlockContext, clause: Clause | null, range: Range): QueryBlock {
    const [k, n] = u;
    if (k === 'SelectStmt') return this.select(n, parent, context, clause, range);
    if (k === 'InsertStmt') return this.insert(n, range, parent, context);
    if (k === 'UpdateStmt') return this.update(n, range, parent, context);
    if (k === 'DeleteStmt') return this.delete(n, range, parent, context);
    return newBlock('select', range, parent, context, clause);
  }

  // each level of the builder's recursion (select, FROM item, expression) counts against the nesting limit
  private select(n: N, parent: QueryBlock | null, context: BlockContext, clause: Clause | null, range: Range): QueryBlock {
    this.guard.enter();
    const built = this.selectBody(n, parent, context, clause, range);
    this.guard.leave();
    return built;
  }

  private selectBody(n: N, parent: QueryBlock | null, context: BlockContext, clause: Clause | null, range: Range): QueryBlock {
    if (String(n.op ?? 'SETOP_NONE') !== 'SETOP_NONE') return this.setOperation(n, parent, context, clause, range);
    if (n.valuesLists) {
      const b = newBlock('values', range, parent, context, clause);
      b.values = arr(n.valuesLists).map((l) => arr(bodyOf(l)?.items).map((v) => this.expr(v, b, 'values')));
      return b;
    }
    const b = newBlock('select', range, parent, context, clause);
    this.withClause(n, b);
    this.fromList(arr(n.fromClause), b);
    b.selectItems = arr(n.targetList).map((t) => this.resTarget(t, b, 'select'));
    if (Array.isArray(n.distinctClause)) {
      const first = b.selectItems[0]?.range.start ?? range.start;
      const kw = this.toks.keywordBefore(first, ['DISTINCT'], range.start);
      const on = (n.distinctClause as unknown[]).filter((d) => obj(d) && Object.keys(obj(d)!).length > 0);
      b.distinct = { on: on.length ? on.map((d) => this.expr(d, b, 'select')) : null, range: kw >= 0 ? this.toks.rangeOf(kw) : range };
    }
    if (n.whereClause) b.where = this.expr(n.whereClause, b, 'where');
    b.groupBy = arr(n.groupClause).map((g) => this.expr(g, b, 'groupBy'));
    if (n.havingClause) b.having = this.expr(n.havingClause, b, 'having');
    this.orderLimit(n, b);
    if (n.lockingClause) b.locking = 'FOR UPDATE';
    return b;
  }

  /**
   * A set operation. PostgreSQL nests `a UNION ALL b UNION ALL c` to the left, one level per
   * operator; a chain of the same operator is one set operation with n branches here (as
   * node-sql-parser gives it), built in a loop, so a long chain is neither deep nor quadratic.
   */
  private setOperation(n: N, parent: QueryBlock | null, context: BlockContext, clause: Clause | null, range: Range): QueryBlock {
    const b = newBlock('setop', range, parent, context, clause);
    this.withClause(n, b);
    const levels: N[] = [n];
    for (let l = obj(n.larg); l && sameSetOperation(l, n); l = obj(l.larg)) levels.push(l);
    levels.reverse();
    const nodes = [obj(levels[0]!.larg) ?? {}, ...levels.map((l) => obj(l.rarg) ?? {})];
    const kind = n.op === 'SETOP_UNION' ? 'union' : n.op === 'SETOP_INTERSECT' ? 'intersect' : 'except';
    const set: SetOperation = { branches: [], operators: [] };
    let prevEnd = range.start;
    nodes.forEach((node, i) => {
      const r = this.queryRange(node, range);
      if (i > 0) {
        const kw = this.toks.keywordBefore(r.start - 1, ['UNION', 'INTERSECT', 'EXCEPT'], prevEnd);
        set.operators.push({ op: kind, all: Boolean(n.all), range: kw >= 0 ? this.toks.rangeOf(kw) : { start: prevEnd, end: r.start } });
      }
      prevEnd = r.end;
      const branch = this.select(node, b, 'setop', null, r);
      // a nested set operation's branches were extended when it was built
      branch.range = extendToContents(branch, true);
      set.branches.push(branch);
    });
    b.setOp = set;
    this.orderLimit(n, b);
    return b;
  }

  private orderLimit(n: N, b: QueryBlock) {
    b.orderBy = arr(n.sortClause).map((s): OrderItem => {
      const sb = bodyOf(s) ?? {};
      const e = this.expr(sb.node, b, 'orderBy');
      const dir = sb.sortby_dir === 'SORTBY_DESC' ? 'desc' : sb.sortby_dir === 'SORTBY_ASC' ? 'asc' : null;
      return { expr: e, direction: dir, range: e.range };
    });
    if (n.limitCount) b.limit = this.expr(n.limitCount, b, 'limit');
    if (n.limitOffset) b.offset = this.expr(n.limitOffset, b, 'limit');
  }

  private resTarget(t: unknown, b: QueryBlock, clause: Clause): SelectItem {
    const r = bodyOf(t) ?? {};
    const e = r.val ? this.expr(r.val, b, clause) : this.other('empty', [], this.tok(r.location));
    return { expr: e, alias: r.name ? String(r.name) : null, range: e.range };
  }

  private insert(n: N, range: Range, parent: QueryBlock | null = null, context: BlockContext = 'statement'): QueryBlock {
    const b = newBlock('insert', range, parent, context, null);
    this.withClause(n, b);
    b.target = this.rangeVar(obj(n.relation) ?? {});
    b.insertColumns = n.cols ? arr(n.cols).map((c) => String(bodyOf(c)?.name ?? '')) : null;
    const src = unwrap(n.selectStmt);
    if (src) {
      const s = src[1];
      if (s.valuesLists && (!s.op || s.op === 'SETOP_NONE')) b.values = arr(s.valuesLists).map((l) => arr(bodyOf(l)?.items).map((v) => this.expr(v, b, 'values')));
      else this.anyStatement(src, b, 'insert-source', 'values', this.queryRange(s, range));
    }
    const oc = obj(n.onConflictClause);
    if (oc) {
      const infer = obj(oc.infer);
      for (const e of arr(infer?.indexElems)) {
        const ie = bodyOf(e);
        if (ie?.expr) b.onConflict.push(this.expr(ie.expr, b, 'conflict'));
      }
      for (const t of arr(oc.targetList)) {
        const r = bodyOf(t) ?? {};
        if (r.val) b.assignments.push({ column: String(r.name ?? ''), value: this.expr(r.val, b, 'set'), range: this.tok(r.location) });
      }
      if (oc.whereClause) b.onConflict.push(this.expr(oc.whereClause, b, 'conflict'));
    }
    b.returning = arr(n.returningList ?? obj(n.returningClause)?.exprs).map((t) => this.resTarget(t, b, 'returning'));
    return b;
  }

  private update(n: N, range: Range, parent: QueryBlock | null = null, context: BlockContext = 'statement'): QueryBlock {
    const b = newBlock('update', range, parent, context, null);
    this.withClause(n, b);
    b.target = this.rangeVar(obj(n.relation) ?? {});
    this.fromList(arr(n.fromClause), b);
    for (const t of arr(n.targetList)) {
      const r = bodyOf(t) ?? {};
      if (r.val) b.assignments.push({ column: String(r.name ?? ''), value: this.expr(r.val, b, 'set'), range: this.tok(r.location) });
    }
    if (n.whereClause) b.where = this.expr(n.whereClause, b, 'where');
    b.returning = arr(n.returningList ?? obj(n.returningClause)?.exprs).map((t) => this.resTarget(t, b, 'returning'));
    return b;
  }

  private delete(n: N, range: Range, parent: QueryBlock | null = null, context: BlockContext = 'statement'): QueryBlock {
    const b = newBlock('delete', range, parent, context, null);
    this.withClause(n, b);
    b.target = this.rangeVar(obj(n.relation) ?? {});
    this.fromList(arr(n.usingClause), b);
    if (n.whereClause) b.where = this.expr(n.whereClause, b, 'where');
    b.returning = arr(n.returningList ?? obj(n.returningClause)?.exprs).map((t) => this.resTarget(t, b, 'returning'));
    return b;
  }

  private merge(n: N, range: Range): QueryBlock {
    const b = newBlock('merge', range, null, 'statement', null);
    this.withClause(n, b);
    b.target = this.rangeVar(obj(n.relation) ?? {});
    const src = this.fromItem(n.sourceRelation, b);
    if (src) {
      b.from.push(...src.tables);
      b.joins.push({ kind: 'inner', table: src.first, on: n.joinCondition ? this.expr(n.joinCondition, b, 'join') : null, using: null, range: src.first.range });
    }
    return b;
  }

  // ---- FROM ----------------------------------------------------------------

  private fromList(items: N[], b: QueryBlock) {
    items.forEach((item, i) => {
      const r = this.fromItem(item, b);
      if (!r) return;
      b.from.push(...r.tables);
      if (i > 0) b.joins.push({ kind: 'comma', table: r.first, on: null, using: null, range: r.first.range });
      b.joins.push(...r.joins);
    });
  }

  /** A FROM item; a JoinExpr yields all its tables and joins in source order. */
  private fromItem(item: unknown, b: QueryBlock): FromItem | undefined {
    this.guard.enter();
    const built = this.fromItemBody(item, b);
    this.guard.leave();
    return built;
  }

  private fromItemBody(item: unknown, b: QueryBlock): FromItem | undefined {
    const u = unwrap(item);
    if (!u) return undefined;
    const [k, n] = u;
    if (k === 'JoinExpr') return this.joinChain(item, b);
    let t: TableRef | undefined;
    if (k === 'RangeVar') t = this.rangeVar(n);
    else if (k === 'RangeSubselect') {
      const q = unwrap(n.subquery);
      const s = q ? this.locSpan(q[1]) : undefined;
      const p = s ? this.toks.enclosingParens(s) : undefined;
      const qRange = p ? p.inner : (s ?? b.range);
      const query = q ? this.anyStatement(q, b, 'from', 'from', qRange) : undefined;
      const alias = obj(n.alias)?.aliasname;
      const aliasRange = alias && p ? this.toks.rangeOf(Math.min(p.close + (this.toks.tokens[p.close + 1]?.value.toUpperCase() === 'AS' ? 2 : 1), this.toks.tokens.length - 1)) : undefined;
      const whole = p ? { start: this.toks.tokens[p.open]!.start, end: (aliasRange ?? this.toks.rangeOf(p.close)).end } : qRange;
      t = { kind: 'derived', name: null, schema: null, alias: alias ? String(alias) : null, range: whole, lateral: Boolean(n.lateral), hole: false };
      if (query) t.query = query;
    } else if (k === 'RangeFunction') {
      const fns = arr(n.functions).flatMap((f) => arr(bodyOf(f)?.items ?? f));
      const first = fns[0];
      const e = first ? this.expr(first, b, 'from') : this.other('function', [], b.range);
      const alias = obj(n.alias)?.aliasname;
      t = { kind: 'function', name: e.type === 'func' ? e.name : null, schema: null, alias: alias ? String(alias) : null, range: e.range, lateral: Boolean(n.lateral), hole: false };
    } else {
      const r = this.locSpan(n) ?? b.range;
      t = { kind: 'values', name: null, schema: null, alias: null, range: r, lateral: false, hole: false };
    }
    return { tables: [t], joins: [], first: t };
  }

  /**
   * `a JOIN b ON ... JOIN c ON ...`: PostgreSQL nests joins to the left, one level per join. The
   * chain is walked in a loop and its tables and joins appended in source order, so a query with
   * many joins is neither deep nor quadratic.
   */
  private joinChain(top: unknown, b: QueryBlock): FromItem | undefined {
    const levels: N[] = [];
    let bottom: unknown = top;
    for (let u = unwrap(bottom); u && u[0] === 'JoinExpr'; u = unwrap(bottom)) {
      levels.push(u[1]);
      bottom = u[1].larg;
    }
    let acc = this.fromItem(bottom, b);
    for (let i = levels.length - 1; i >= 0; i--) {
      const n = levels[i]!;
      const r = this.fromItem(n.rarg, b);
      if (!acc || !r) {
        acc ??= r;
        continue;
      }
      acc.joins.push(this.join(n, b, acc.first, r.first));
      acc.tables.push(...r.tables);
      acc.joins.push(...r.joins);
    }
    return acc;
  }

  private join(n: N, b: QueryBlock, leftFirst: TableRef, right: TableRef): Join {
    const using = n.usingClause ? names(n.usingClause) : null;
    const on = n.quals ? this.expr(n.quals, b, 'join') : null;
    const jt = String(n.jointype);
    let kind: Join['kind'] = jt === 'JOIN_LEFT' ? 'left' : jt === 'JOIN_RIGHT' ? 'right' : jt === 'JOIN_FULL' ? 'full' : 'inner';
    if (n.isNatural) kind = 'natural';
    else if (kind === 'inner' && !on && !using) kind = 'cross';
    const kw = this.toks.keywordBefore(right.range.start - 1, ['JOIN'], leftFirst.range.start);
    let start = kw >= 0 ? this.toks.tokens[kw]!.start : right.range.start;
    for (let i = kw - 1; i >= 0 && /^(LEFT|RIGHT|FULL|INNER|OUTER|CROSS|NATURAL)$/i.test(this.toks.tokens[i]!.value); i--) start = this.toks.tokens[i]!.start;
    const end = Math.max(right.range.end, on?.range.end ?? 0, this.usingEnd(right.range.end, using));
    return { kind, table: right, on, using, range: { start, end } };
  }

  private usingEnd(after: number, using: string[] | null): number {
    if (!using) return 0;
    const i = this.toks.indexAt(after);
    for (let j = i; j >= 0 && j < this.toks.tokens.length; j++) {
      if (this.toks.tokens[j]!.value.toUpperCase() === 'USING' && this.toks.tokens[j + 1]?.value === '(') {
        const close = this.toks.matching(j + 1);
        return close > 0 ? this.toks.tokens[close]!.end : 0;
      }
    }
    return 0;
  }

  private rangeVar(n: N): TableRef {
    const start = this.at(n.location);
    const nameR = start === undefined ? this.stmt.range : this.toks.nameRange(start);
    const alias = obj(n.alias)?.aliasname;
    const relname = String(n.relname ?? '');
    // psql `FROM :"tbl"` / `FROM :tbl`: the table is a variable
    const variable = !n.schemaname && this.rewriteAt(start) !== undefined;
    return {
      kind: 'table',
      name: relname,
      schema: n.schemaname ? String(n.schemaname) : null,
      alias: alias ? String(alias) : null,
      range: nameR,
      lateral: false,
      hole: HOLE_IDENT.test(relname) || variable,
    };
  }

  // ---- expressions ------------------------------------------------------------

  private other(kind: string, children: Expr[], range: Range): Expr {
    return { type: 'other', kind, children, range };
  }

  /** The smallest range covering the given ones; `fallback` when none is given. One object, not one per pair. */
  private union(ranges: Array<Range | undefined>, fallback: Range): Range {
    let start = Infinity;
    let end = -Infinity;
    for (const r of ranges) {
      if (!r) continue;
      if (r.start < start) start = r.start;
      if (r.end > end) end = r.end;
    }
    return start === Infinity ? fallback : { start, end };
  }

  private subquery(sel: unknown, b: QueryBlock, clause: Clause, context: BlockContext): Expr {
    const u = unwrap(sel);
    const s = u ? this.locSpan(u[1]) : undefined;
    const p = s ? this.toks.enclosingParens(s) : undefined;
    const qRange = p ? p.inner : (s ?? b.range);
    const query = u ? this.anyStatement(u, b, context, clause, qRange) : newBlock('select', qRange, b, context, clause);
    const outer = p ? { start: this.toks.tokens[p.open]!.start, end: this.toks.tokens[p.close]!.end } : qRange;
    return { type: 'subquery', query, range: outer };
  }

  expr(node: unknown, b: QueryBlock, clause: Clause): Expr {
    const k = kindOf(node);
    if (k === undefined) return this.other('unknown', [], b.range);
    this.guard.enter();
    const built = this.exprOf(k, (node as N)[k] as N, b, clause);
    this.guard.leave();
    return built;
  }

  /** One expression node, by kind. */
  private exprOf(k: string, n: N, b: QueryBlock, clause: Clause): Expr {
    const fallback = b.range;
    switch (k) {
      case 'ColumnRef':
        return this.columnRef(n, fallback);
      case 'A_Const':
        return this.aConst(n);
      case 'ParamRef': {
        const rw = this.rewriteAt(this.at(n.location));
        if (rw) return this.paramOf(rw);
        return { type: 'param', name: `$${String(n.number ?? '')}`, range: this.tok(n.location) };
      }
      case 'FuncCall':
        return this.funcCall(n, b, clause);
      case 'A_Expr':
        return this.aExpr(n, b, clause);
      case 'BoolExpr':
        return this.boolExpr(n, b, clause);
      case 'NullTest':
        return this.nullTest(n, b, clause);
      case 'BooleanTest': {
        const arg = this.expr(n.arg, b, clause);
        return { type: 'unary', op: String(n.booltesttype ?? 'IS TRUE').replace(/_/g, ' '), arg, range: arg.range };
      }
      case 'SubLink':
        return this.subLink(n, b, clause);
      case 'TypeCast':
        return this.typeCast(n, b, clause);
      case 'CaseExpr':
        return this.caseExpr(n, b, clause);
      case 'List':
        return this.listExpr(n, b, clause);
      case 'RowExpr':
      case 'A_ArrayExpr':
      case 'CoalesceExpr':
      case 'MinMaxExpr':
        return this.rowLike(k, n, b, clause);
      case 'A_Indirection': {
        const arg = this.expr(n.arg, b, clause);
        const kids = arr(n.indirection).map((i) => this.expr(i, b, clause));
        return this.other('indirection', [arg, ...kids], this.union([arg.range, ...kids.map((x) => x.range)], fallback));
      }
      case 'A_Indices': {
        const kids = [n.lidx, n.uidx].filter(Boolean).map((i) => this.expr(i, b, clause));
        return this.other('index', kids, this.union(kids.map((x) => x.range), fallback));
      }
      case 'String':
        return this.other('field', [], fallback);
      case 'CollateClause': {
        const arg = this.expr(n.arg, b, clause);
        return this.other('collate', [arg], arg.range);
      }
      case 'NamedArgExpr': {
        const arg = this.expr(n.arg, b, clause);
        return this.other('named-arg', [arg], arg.range);
      }
      case 'SQLValueFunction': {
        const range = this.tok(n.location);
        return { type: 'func', name: String(n.op ?? '').replace(/^SVFOP_/, '').toLowerCase(), args: [], star: false, distinct: false, aggregate: false, window: false, extra: [], nameRange: range, range };
      }
      case 'GroupingFunc':
        return this.groupingFunc(n, b, clause);
      case 'SetToDefault':
        return this.other('default', [], this.tok(n.location));
      case 'MultiAssignRef': {
        const src = this.expr(n.source, b, clause);
        return this.other('multi-assign', [src], src.range);
      }
      default: {
        const kids = this.genericChildren(n, b, clause);
        const range = this.union([this.locSpan(n), ...kids.map((x) => x.range)], fallback);
        return this.other(k, kids, range);
      }
    }
  }

  /** `GROUPING(a, b)`: libpg-query's own node, a call here as in node-sql-parser's trees. */
  private groupingFunc(n: N, b: QueryBlock, clause: Clause): Expr {
    const start = this.at(n.location);
    const args = arr(n.args).map((a) => this.expr(a, b, clause));
    const nameRange = start === undefined ? b.range : this.toks.nameRange(start);
    const range = start === undefined ? b.range : this.toks.callRange(start);
    return { type: 'func', name: 'grouping', args, star: false, distinct: false, aggregate: true, window: false, extra: [], nameRange, range };
  }

  /** A column reference; a sqlperf placeholder or a rewritten parameter is a parameter. */
  private columnRef(n: N, fallback: Range): Expr {
    const fields = arr(n.fields);
    const parts = fields.map((f) => (kindOf(f) === 'A_Star' ? '*' : str(f)));
    const name = parts[parts.length - 1] ?? '';
    const qualifier = parts.length > 1 ? parts[parts.length - 2]! : null;
    const start = this.at(n.location);
    const range = start === undefined ? fallback : this.toks.nameRange(start);
    if (!qualifier && HOLE_IDENT.test(name)) return { type: 'param', name, range };
    const rw = qualifier ? undefined : this.rewriteAt(start);
    if (rw) return this.paramOf(rw);
    return { type: 'column', qualifier, name, range };
  }

  /** A constant, or the parameter rewritten into one before parsing. */
  private aConst(n: N): Expr {
    const rw = this.rewriteAt(this.at(n.location));
    if (rw) return this.paramOf(rw);
    const range = this.tok(n.location);
    if (n.isnull) return { type: 'literal', kind: 'null', value: null, range };
    if (n.sval) return { type: 'literal', kind: 'string', value: String(obj(n.sval)?.sval ?? ''), range };
    if (n.ival) return { type: 'literal', kind: 'number', value: Number(obj(n.ival)?.ival ?? 0), range };
    if (n.fval) return { type: 'literal', kind: 'number', value: Number(obj(n.fval)?.fval ?? 0), range };
    if (n.boolval) return { type: 'literal', kind: 'boolean', value: Boolean(obj(n.boolval)?.boolval), range };
    if (n.bsval) return { type: 'literal', kind: 'other', value: String(obj(n.bsval)?.bsval ?? ''), range };
    return { type: 'literal', kind: 'number', value: 0, range };
  }

  /** AND / OR (a list in libpg-query: a left-deep chain here, as node-sql-parser gives it) and NOT. */
  private boolExpr(n: N, b: QueryBlock, clause: Clause): Expr {
    const fallback = b.range;
    const args = arr(n.args).map((a) => this.expr(a, b, clause));
    const op = n.boolop === 'AND_EXPR' ? 'AND' : n.boolop === 'OR_EXPR' ? 'OR' : 'NOT';
    if (op === 'NOT') {
      const r = this.union([this.tok(n.location), args[0]?.range], fallback);
      // PostgreSQL writes `x NOT IN (SELECT ...)` as NOT over `x IN (...)`: one operator for rules
      const a = args[0];
      if (a?.type === 'binary' && a.op === 'IN') return { ...a, op: 'NOT IN', range: r };
      return { type: 'unary', op: 'NOT', arg: args[0] ?? this.other('unknown', [], r), range: r };
    }
    return args.reduce((l, r) => ({ type: 'binary', op, left: l, right: r, range: span(l.range, r.range), opRange: this.wordBetween(op, l.range.end, r.range.start) }) as Expr);
  }

  /** `x IS [NOT] NULL`, `x ISNULL`, `x NOTNULL`. */
  private nullTest(n: N, b: QueryBlock, clause: Clause): Expr {
    const arg = this.expr(n.arg, b, clause);
    const op = n.nulltesttype === 'IS_NOT_NULL' ? 'IS NOT NULL' : 'IS NULL';
    const i = this.toks.indexAt(arg.range.end);
    let end = arg.range.end;
    for (let j = i; j >= 0 && j < this.toks.tokens.length && j <= i + 3; j++) if (this.toks.tokens[j]!.value.toUpperCase() === 'NULL' || this.toks.tokens[j]!.value.toUpperCase() === 'NOTNULL' || this.toks.tokens[j]!.value.toUpperCase() === 'ISNULL') end = this.toks.tokens[j]!.end;
    return { type: 'unary', op, arg, range: { start: arg.range.start, end } };
  }

  /** A subquery in an expression: EXISTS, IN / ANY / ALL, scalar, ARRAY(...). */
  private subLink(n: N, b: QueryBlock, clause: Clause): Expr {
    const type = String(n.subLinkType);
    const kwRange = this.tok(n.location);
    if (type === 'EXISTS_SUBLINK') {
      const sq = this.subquery(n.subselect, b, clause, 'exists');
      return { type: 'unary', op: 'EXISTS', arg: sq, range: span(kwRange, sq.range) };
    }
    if (type === 'ANY_SUBLINK' || type === 'ALL_SUBLINK') {
      const left = this.expr(n.testexpr, b, clause);
      const opName = n.operName ? names(n.operName).join('.') : '=';
      const sq = this.subquery(n.subselect, b, clause, type === 'ANY_SUBLINK' && opName === '=' ? 'in' : 'any');
      const op = type === 'ANY_SUBLINK' ? (opName === '=' ? 'IN' : `${opName} ANY`) : `${opName} ALL`;
      return { type: 'binary', op, left, right: sq, range: span(left.range, sq.range), opRange: { start: left.range.end, end: sq.range.start } };
    }
    if (type === 'EXPR_SUBLINK') return this.subquery(n.subselect, b, clause, 'scalar');
    const sq = this.subquery(n.subselect, b, clause, 'other');
    return this.other('array-subquery', [sq], span(kwRange, sq.range));
  }

  /** `x::t`, `CAST(x AS t)`, a typed literal. */
  private typeCast(n: N, b: QueryBlock, clause: Clause): Expr {
    const fallback = b.range;
    const arg = this.expr(n.arg, b, clause);
    const tn = obj(n.typeName) ?? {};
    const typeName = names(tn.names).filter((x) => x !== 'pg_catalog').join('.');
    const tRange = this.tok(tn.location);
    // a hole standing after a name parses as a typed literal (`__sqlperf_p1 $1`): keep the arg
    let range = this.union([arg.range, tRange, this.endOfType(tRange)], fallback);
    // CAST(x AS t): include the keyword and the closing bracket (the bracket search walks back
    // through the statement, so only where a CAST is written: not for each `x::t` of a long list)
    const p = this.toks.hasWord('CAST') ? this.toks.enclosingParens(arg.range) : undefined;
    if (p && this.toks.tokens[p.open - 1]?.value.toUpperCase() === 'CAST' && this.toks.tokens[p.close]!.end >= range.end) range = { start: this.toks.tokens[p.open - 1]!.start, end: this.toks.tokens[p.close]!.end };
    return { type: 'cast', arg, typeName, range };
  }

  /** CASE ... END, its range from CASE to END. */
  private caseExpr(n: N, b: QueryBlock, clause: Clause): Expr {
    const fallback = b.range;
    const parts: Expr[] = [];
    if (n.arg) parts.push(this.expr(n.arg, b, clause));
    for (const w of arr(n.args)) {
      const cw = bodyOf(w) ?? {};
      parts.push(this.expr(cw.expr, b, clause), this.expr(cw.result, b, clause));
    }
    if (n.defresult) parts.push(this.expr(n.defresult, b, clause));
    const kw = this.tok(n.location);
    const endKw = this.findWordAfter(parts.length ? parts[parts.length - 1]!.range.end : kw.end, 'END');
    return { type: 'case', parts, range: this.union([kw, endKw, ...parts.map((p) => p.range)], fallback) };
  }

  /** A bracketed list (the right side of IN). */
  private listExpr(n: N, b: QueryBlock, clause: Clause): Expr {
    const fallback = b.range;
    const items = arr(n.items).map((i) => this.expr(i, b, clause));
    const inner = this.union(items.map((i) => i.range), fallback);
    const p = this.toks.enclosingParens(inner);
    const range = p ? { start: this.toks.tokens[p.open]!.start, end: this.toks.tokens[p.close]!.end } : inner;
    return { type: 'list', items, range };
  }

  /** ROW(...), ARRAY[...], COALESCE(...), GREATEST / LEAST (...). */
  private rowLike(k: string, n: N, b: QueryBlock, clause: Clause): Expr {
    const fallback = b.range;
    const items = arr(n.args ?? n.elements).map((i) => this.expr(i, b, clause));
    if (k === 'CoalesceExpr' || k === 'MinMaxExpr') {
      const name = k === 'CoalesceExpr' ? 'coalesce' : n.op === 'IS_LEAST' ? 'least' : 'greatest';
      const range = this.toks.callRange(this.at(n.location) ?? fallback.start);
      return { type: 'func', name, args: items, star: false, distinct: false, aggregate: false, window: false, extra: [], nameRange: this.tok(n.location), range };
    }
    const start = this.at(n.location);
    let range = this.union(items.map((i) => i.range), start === undefined ? fallback : this.toks.tokenRangeAt(start));
    if (start !== undefined) {
      const i = this.toks.indexAt(start);
      const open = this.toks.tokens[i]?.value === '(' || this.toks.tokens[i]?.value === '[' ? i : this.toks.tokens[i + 1]?.value === '[' || this.toks.tokens[i + 1]?.value === '(' ? i + 1 : -1;
      if (open >= 0 && this.toks.matching(open) > 0) range = span(span(range, this.toks.rangeOf(open)), this.toks.rangeOf(this.toks.matching(open)));
    }
    return this.other(k === 'RowExpr' ? 'row' : 'array', items, range);
  }

  /** Converts every expression-looking child of an unfamiliar node, so nothing under it is lost. */
  private genericChildren(n: N, b: QueryBlock, clause: Clause): Expr[] {
    const out: Expr[] = [];
    for (const key in n) {
      const v = n[key];
      for (const item of Array.isArray(v) ? v : [v]) {
        const k = kindOf(item);
        if (k !== undefined && /^[A-Z]/.test(k) && k !== 'TypeName' && k !== 'String') out.push(this.expr(item, b, clause));
      }
    }
    return out;
  }

  private endOfType(tRange: Range): Range | undefined {
    // `::uuid[]`, `::varchar(20)`: include trailing brackets
    let i = this.toks.indexAt(tRange.start);
    if (i < 0) return undefined;
    i = this.toks.dottedEnd(i);
    let end = this.toks.tokens[i]!.end;
    for (;;) {
      const next = this.toks.tokens[i + 1];
      if (!next || next.type !== 'punct' || (next.value !== '[' && next.value !== '(')) break;
      const m = this.toks.matching(i + 1);
      if (m < 0) break;
      end = this.toks.tokens[m]!.end;
      i = m;
    }
    return { start: tRange.start, end };
  }

  /** The keyword `word` between two offsets (the AND/OR of a BoolExpr, which has no location of its own). */
  private wordBetween(word: string, from: number, to: number): Range {
    for (let i = Math.max(0, this.toks.indexAt(from)); i < this.toks.tokens.length && this.toks.tokens[i]!.start < to; i++) {
      if (this.toks.tokens[i]!.value.toUpperCase() === word) return this.toks.rangeOf(i);
    }
    return { start: from, end: to };
  }

  private findWordAfter(offset: number, word: string): Range | undefined {
    const i = this.toks.indexAt(offset);
    for (let j = i; j >= 0 && j < this.toks.tokens.length && j < i + 4; j++) if (this.toks.tokens[j]!.value.toUpperCase() === word) return this.toks.rangeOf(j);
    return undefined;
  }

  private funcCall(n: N, b: QueryBlock, clause: Clause): Expr {
    const nm = names(n.funcname);
    const name = (nm[nm.length - 1] ?? '').toLowerCase();
    const start = this.at(n.location);
    if (isSqlcParam(nm) && start !== undefined) {
      // sqlc.arg(x), sqlc.narg(x), sqlc.slice(x): sqlc's parameters
      const range = this.toks.callRange(start);
      return { type: 'param', name: this.text.slice(range.start, range.end), range };
    }
    const nameRange = start === undefined ? b.range : this.toks.nameRange(start);
    const args = arr(n.args).map((a) => this.expr(a, b, clause));
    const extra: Expr[] = [];
    for (const s of arr(n.agg_order)) extra.push(this.expr(bodyOf(s)?.node, b, clause));
    if (n.agg_filter) extra.push(this.expr(n.agg_filter, b, clause));
    const over = obj(n.over);
    if (over) {
      for (const p of arr(over.partitionClause)) extra.push(this.expr(p, b, clause));
      for (const s of arr(over.orderClause)) extra.push(this.expr(bodyOf(s)?.node, b, clause));
    }
    const call = start === undefined ? b.range : this.toks.callRange(start);
    const range = this.union([call, ...extra.map((e) => e.range)], b.range);
    const f: FuncExpr = { type: 'func', name, args, star: Boolean(n.agg_star), distinct: Boolean(n.agg_distinct), aggregate: AGGREGATES.has(name) || Boolean(n.agg_star) || Boolean(n.agg_within_group), window: Boolean(over), extra, nameRange, range };
    return f;
  }

  private aExpr(n: N, b: QueryBlock, clause: Clause): Expr {
    const kind = String(n.kind);
    const opName = names(n.name).join('.');
    const left = n.lexpr ? this.expr(n.lexpr, b, clause) : undefined;
    let right = n.rexpr ? this.expr(n.rexpr, b, clause) : undefined;
    const opTok = this.tok(n.location);
    let op = opName;
    switch (kind) {
      case 'AEXPR_LIKE':
        op = opName === '!~~' ? 'NOT LIKE' : 'LIKE';
        break;
      case 'AEXPR_ILIKE':
        op = opName === '!~~*' ? 'NOT ILIKE' : 'ILIKE';
        break;
      case 'AEXPR_SIMILAR':
        op = opName === '!~' ? 'NOT SIMILAR TO' : 'SIMILAR TO';
        // the pattern arrives wrapped in similar_to_escape(pattern)
        if (right?.type === 'func' && right.name === 'similar_to_escape' && right.args[0]) right = right.args[0];
        break;
      case 'AEXPR_IN':
        op = opName === '<>' ? 'NOT IN' : 'IN';
        break;
      case 'AEXPR_BETWEEN':
      case 'AEXPR_BETWEEN_SYM':
        op = 'BETWEEN';
        break;
      case 'AEXPR_NOT_BETWEEN':
      case 'AEXPR_NOT_BETWEEN_SYM':
        op = 'NOT BETWEEN';
        break;
      case 'AEXPR_OP_ANY':
        op = opName === '=' ? '= ANY' : `${opName} ANY`;
        break;
      case 'AEXPR_OP_ALL':
        op = `${opName} ALL`;
        break;
      case 'AEXPR_DISTINCT':
        op = 'IS DISTINCT FROM';
        break;
      case 'AEXPR_NOT_DISTINCT':
        op = 'IS NOT DISTINCT FROM';
        break;
      case 'AEXPR_NULLIF':
        op = 'NULLIF';
        break;
      default:
        op = opName === '!=' ? '<>' : opName;
    }
    if (!left) {
      const arg = right ?? this.other('unknown', [], opTok);
      return { type: 'unary', op, arg, range: span(opTok, arg.range) };
    }
    const r = right ?? this.other('unknown', [], opTok);
    let range = this.union([left.range, r.range, opTok], b.range);
    if (kind === 'AEXPR_OP_ANY' || kind === 'AEXPR_OP_ALL') {
      // include the closing bracket of ANY(...)
      const p = this.toks.enclosingParens(r.range);
      if (p) range = span(range, this.toks.rangeOf(p.close));
    }
    return { type: 'binary', op, left, right: r, range, opRange: opTok };
  }
}
