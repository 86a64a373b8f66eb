import type { NspStatement } from '../parse/index.js';
import type { Rewrite } from '../parse/normalize.js';
import type { NspNode } from '../parse/nsp.js';
import { span, type Range } from '../range.js';
import { extendToContents, finishStatement, HOLE_IDENT, newBlock } from './block.js';
import { AGGREGATES } from './functions.js';
import { isSqlcParam } from './pg-builder.js';
import { DepthGuard } from './deep.js';
import { leadingWords, TokenIndex } from './tokens.js';
import type { BlockContext, Clause, Cte, Expr, Join, QueryBlock, SelectItem, SetOperator, StatementModel, TableRef } from './types.js';

type N = NspNode;
const obj = (v: unknown): N | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as N) : undefined);
const arr = (v: unknown): N[] => (Array.isArray(v) ? (v as N[]).filter((x) => x && typeof x === 'object') : []);

/**
 * node-sql-parser spells names as strings or as `{ type, value }` / `{ expr: { value } }`, with a
 * backtick-quoted name's doubled backticks as written (`` `a``b` `` gives `` a``b ``): the name is a`b.
 * No unquoted name contains a backtick, so undoubling is safe; the one misread is a single-quoted
 * alias written with two backticks (`AS 'x``y'`), which the AST does not tell apart.
 */
export function nameOf(v: unknown): string | null {
  if (v == null) return null;
  if (typeof v === 'string') return undouble(v);
  const o = obj(v);
  if (!o) return String(v);
  if (typeof o.value === 'string') return undouble(o.value);
  if (o.expr) return nameOf(o.expr);
  if (Array.isArray(o.name)) return (o.name as unknown[]).map(nameOf).join('.');
  if (o.name !== undefined) return nameOf(o.name);
  return null;
}

/** `` a``b `` -> a`b; a name without a doubled backtick (nearly all) is returned as it is, with no new string. */
const undouble = (name: string): string => (name.includes('``') ? name.replaceAll('``', '`') : name);

/** An operator as written (`not  in`) -> upper case with single blanks, and its first word; memoised, as few operators recur in every statement. */
const OPERATORS = new Map<string, [string, string]>();
function operatorWords(raw: string): [string, string] {
  let w = OPERATORS.get(raw);
  if (!w) {
    const op = raw.toUpperCase().replace(/\s+/g, ' ');
    w = [op, op.split(' ')[0]!];
    // operators come from the grammar's fixed list; a bound keeps a pathological text from growing the map
    if (OPERATORS.size < 256) OPERATORS.set(raw, w);
  }
  return w;
}

/** Builds the query model from a node-sql-parser AST (MySQL, MariaDB, SQLite, BigQuery, T-SQL, Snowflake). */
export function buildNspModel(stmt: NspStatement, text: string): StatementModel {
  return new NspBuilder(stmt, text).build();
}

/**
 * node-sql-parser gives locations on some nodes only (few in SQLite and T-SQL). The builder walks
 * the AST in source order with a token cursor: a node with a location moves the cursor there, a
 * node without one is found as the next matching token. Nothing is placed before the cursor.
 */
class NspBuilder {
  private readonly toks: TokenIndex;
  private cursor = 0;
  private readonly guard = new DepthGuard();

  constructor(
    private readonly stmt: NspStatement,
    private readonly text: string,
  ) {
    // a blanked-out construct (SQLite's upsert clause) is not in the tree: its names must not be found for it
    const removed = stmt.rewrites?.filter((r) => r.kind === 'removed') ?? [];
    this.toks = new TokenIndex(removed.length ? stmt.tokens.filter((t) => !removed.some((r) => r.start <= t.start && t.end <= r.end)) : stmt.tokens);
  }

  build(): StatementModel {
    const m = this.buildModel();
    if (this.stmt.sqlc) m.sqlc = this.stmt.sqlc;
    return m;
  }

  /** What was rewritten before parsing at a token (SQLite's `LIMIT ?` read as `LIMIT 1`, MySQL `BINARY`, `<=>`). */
  private rewriteAt(i: number, kind?: Rewrite['kind']): Rewrite | undefined {
    const t = this.toks.tokens[i];
    if (!t || !this.stmt.rewrites) return undefined;
    return this.stmt.rewrites.find((r) => r.start <= t.start && t.start < r.end && (!kind || r.kind === kind));
  }

  /** The MySQL `BINARY` keyword (read as `-`) this unary minus stands for, or -1 for a real minus. */
  private rewrittenBinary(located: Range | undefined): number {
    for (let k = located ? this.toks.indexAt(located.start) : this.cursor; k >= 0 && k < this.toks.tokens.length; k++) {
      const t = this.toks.tokens[k]!;
      if (t.value.toUpperCase() === 'BINARY' && this.rewriteAt(k, 'syntax')) return k;
      if (t.value === '-') return -1;
      if (t.type === 'op' || t.type === 'punct' || (t.type === 'ident' && /^(WHERE|AND|OR|NOT|ON|SELECT|HAVING|WHEN|THEN|ELSE|SET|BY)$/i.test(t.value))) continue;
      return -1;
    }
    return -1;
  }

  private buildModel(): StatementModel {
    const ast = this.stmt.ast;
    const range = this.stmt.range;
    const type = String(ast.type ?? '').toLowerCase();
    switch (type) {
      case 'select': {
        const root = this.select(ast, null, 'statement', null, range);
        return finishStatement('select', 'SELECT', range, root);
      }
      case 'insert':
      case 'replace':
        return finishStatement('insert', 'INSERT', range, this.insert(ast, range));
      case 'update':
        return finishStatement('update', 'UPDATE', range, this.update(ast, range));
      case 'delete':
        return finishStatement('delete', 'DELETE', range, this.delete(ast, range));
      default:
        return finishStatement('other', leadingWords(this.toks.tokens), range, null);
    }
  }

  // ---- positions -------------------------------------------------------------

  private loc(n: unknown): Range | undefined {
    const l = obj(obj(n)?.loc);
    const s = obj(l?.start)?.offset;
    const e = obj(l?.end)?.offset;
    if (typeof s !== 'number' || typeof e !== 'number') return undefined;
    // locations can include trailing whitespace: trim to tokens
    const a = this.toks.indexAt(this.stmt.pos(s));
    const b = this.toks.indexBefore(this.stmt.pos(e));
    if (a < 0 || b < a) return undefined;
    return { start: this.toks.tokens[a]!.start, end: this.toks.tokens[b]!.end };
  }

  /** Moves the cursor to a located node's start; returns its range. */
  private enter(n: unknown): Range | undefined {
    const r = this.loc(n);
    if (r) this.cursor = Math.max(0, this.toks.indexAt(r.start));
    return r;
  }

  private leave(r: Range | undefined) {
    if (!r) return;
    const i = this.toks.indexAt(r.end);
    this.cursor = Math.max(this.cursor, i < 0 ? this.toks.tokens.length : i);
  }

  /** The next token from the cursor that satisfies `pred`; the cursor moves past it. */
  private find(pred: (i: number) => boolean): number {
    for (let i = this.cursor; i < this.toks.tokens.length; i++) {
      if (pred(i)) {
        this.cursor = i + 1;
        return i;
      }
    }
    return -1;
  }

  private here(): Range {
    const t = this.toks.tokens[Math.min(this.cursor, this.toks.tokens.length - 1)];
    return t ? { start: t.start, end: t.end } : this.stmt.range;
  }

  private isName(i: number, name: string): boolean {
    const t = this.toks.tokens[i]!;
    if (t.type !== 'ident' && t.type !== 'qident') return false;
    // a search asks about one name token after token: lower-cased once, not once per token
    if (name !== this.lastName) {
      this.lastName = name;
      this.lastLower = name.toLowerCase();
    }
    return t.value.toLowerCase() === this.lastLower;
  }

  private lastName = '';
  private lastLower = '';

  private findWord(word: string): number {
    return this.find((i) => this.toks.tokens[i]!.type === 'ident' && this.toks.tokens[i]!.value.toUpperCase() === word);
  }

  // ---- statements ---------------------------------------------------------------

  private withClause(n: N, b: QueryBlock) {
    const list = arr(n.with);
    for (const c of list) {
      const name = nameOf(c.name) ?? '';
      const ni = this.find((i) => this.isName(i, name));
      const nameRange = ni >= 0 ? this.toks.rangeOf(ni) : this.here();
      const stmtNode = obj(c.stmt);
      const ast = obj(stmtNode?.ast) ?? stmtNode ?? {};
      const query = this.subqueryBlock(ast, b, 'cte', null);
      const cols = Array.isArray(c.columns) ? (c.columns as unknown[]).map((x) => nameOf(x) ?? '') : null;
      const cte: Cte = { name, columns: cols, query: query.block, recursive: Boolean(c.recursive ?? (n.with as { recursive?: boolean }).recursive) || /\bRECURSIVE\b/i.test(this.text.slice(this.stmt.range.start, nameRange.start)), range: span(nameRange, query.range) };
      b.ctes.push(cte);
    }
  }

  private select(n: N, parent: QueryBlock | null, context: BlockContext, clause: Clause | null, range: Range): QueryBlock {
    if (n._next) return this.setOperation(n, parent, context, clause, range);
    const b = newBlock('select', range, parent, context, clause);
    this.withClause(n, b);
    const distinct = n.distinct;
    const dName = typeof distinct === 'string' ? distinct : nameOf(obj(distinct)?.type);
    if (dName && /distinct/i.test(dName)) {
      const i = this.findWord('DISTINCT');
      b.distinct = { on: null, range: i >= 0 ? this.toks.rangeOf(i) : range };
    }
    for (const c of arr(n.columns)) b.selectItems.push(this.selectItem(c, b));
    this.fromList(arr(n.from), b);
    if (n.where) b.where = this.expr(n.where, b, 'where');
    const g = n.groupby;
    const groups = Array.isArray(g) ? arr(g) : arr(obj(g)?.columns);
    b.groupBy = groups.map((x) => this.expr(x, b, 'groupBy'));
    if (n.having) b.having = this.expr(n.having, b, 'having');
    this.orderLimit(n, b);
    if (n.for_update || n.locking_read) b.locking = 'FOR UPDATE';
    return b;
  }

  private setOperation(n: N, parent: QueryBlock | null, context: BlockContext, clause: Clause | null, range: Range): QueryBlock {
    const b = newBlock('setop', range, parent, context, clause);
    // node-sql-parser chains branches through `_next`; the chain is left-associative
    const branches: N[] = [];
    const ops: string[] = [];
    for (let cur: N | undefined = n; cur; cur = obj(cur._next)) {
      branches.push(cur);
      if (cur._next) ops.push(String(cur.set_op ?? 'union'));
    }
    const set: { branches: QueryBlock[]; operators: SetOperator[] } = { branches: [], operators: [] };
    branches.forEach((br, i) => {
      const isLast = i === branches.length - 1;
      const copy = { ...br, _next: undefined, orderby: isLast ? null : br.orderby, limit: isLast ? null : br.limit };
      // the branch starts after the set operator that joins it to the previous one
      while (i > 0 && /^(UNION|INTERSECT|EXCEPT|MINUS|ALL|DISTINCT)$/i.test(this.toks.tokens[this.cursor]?.value ?? '') && this.toks.tokens[this.cursor]!.type === 'ident') this.cursor++;
      const startTok = this.toks.tokens[this.cursor];
      const start = startTok?.start ?? range.start;
      // the branch ends where its contents end, not at the end of the whole set operation
      const block = this.select(copy, b, 'setop', null, { start, end: Math.min(startTok?.end ?? start, range.end) });
      block.range = extendToContents(block);
      block.range.end = Math.min(block.range.end, range.end);
      const prev = set.branches[set.branches.length - 1];
      if (prev) {
        const op = ops[i - 1]!.toLowerCase();
        const kwIdx = this.toks.keywordBefore(block.range.start - 1, ['UNION', 'INTERSECT', 'EXCEPT', 'MINUS'], prev.range.end);
        const opRange = kwIdx >= 0 ? this.toks.rangeOf(kwIdx) : { start: prev.range.end, end: block.range.start };
        const kind = op.startsWith('intersect') ? 'intersect' : op.startsWith('except') || op.startsWith('minus') ? 'except' : 'union';
        set.operators.push({ op: kind, all: /\ball\b/.test(op), range: opRange });
      }
      set.branches.push(block);
    });
    b.setOp = set;
    const last = branches[branches.length - 1]!;
    this.orderLimit(last, b);
    return b;
  }

  private orderLimit(n: N, b: QueryBlock) {
    b.orderBy = arr(n.orderby).map((o) => {
      const e = this.expr(o.expr, b, 'orderBy');
      const t = String(o.type ?? '').toUpperCase();
      return { expr: e, direction: t === 'DESC' ? 'desc' : t === 'ASC' ? 'asc' : null, range: e.range };
    });
    const lim = obj(n.limit);
    const vals = arr(lim?.value);
    if (vals.length) {
      const exprs = vals.map((v) => this.expr(v, b, 'limit'));
      // MySQL `LIMIT offset, count`
      if (lim?.seperator === ',' && exprs.length === 2) {
        b.offset = exprs[0]!;
        b.limit = exprs[1]!;
      } else {
        b.limit = exprs[0] ?? null;
        b.offset = exprs[1] ?? null;
      }
    }
    const top = obj(n.top);
    if (top && top.value !== undefined) b.limit = this.expr(top.value, b, 'limit');
  }

  private selectItem(c: N, b: QueryBlock): SelectItem {
    const outer = this.enter(c);
    const e = c.expr ? this.expr(c.expr, b, 'select') : this.expr(c, b, 'select');
    const alias = nameOf(c.as);
    let range = outer ?? e.range;
    if (alias) {
      const i = this.find((k) => this.isName(k, alias) || (this.toks.tokens[k]!.type === 'string' && this.toks.tokens[k]!.value === alias));
      if (i >= 0) range = span(range, this.toks.rangeOf(i));
    }
    this.leave(range);
    return { expr: e, alias, range: e.range };
  }

  private insert(n: N, range: Range): QueryBlock {
    const b = newBlock('insert', range, null, 'statement', null);
    this.withClause(n, b);
    const t = arr(n.table)[0];
    if (t) b.target = this.tableRef(t, b);
    b.insertColumns = Array.isArray(n.columns) ? (n.columns as unknown[]).map((c) => nameOf(c) ?? '') : null;
    if (b.insertColumns) for (const c of b.insertColumns) this.find((i) => this.isName(i, c));
    const values = obj(n.values);
    const rows = values?.type === 'values' ? arr(values.values) : Array.isArray(n.values) ? arr(n.values) : [];
    if (rows.length) b.values = rows.map((r) => arr(r.value).map((v) => this.expr(v, b, 'values')));
    else if (values && (values.type === 'select' || values.ast)) this.subqueryBlock(obj(values.ast) ?? values, b, 'insert-source', 'values');
    else if (obj(n.select)) this.subqueryBlock(obj(n.select)!, b, 'insert-source', 'values');
    for (const a of arr(obj(n.on_duplicate_update)?.set)) this.assignment(a, b);
    b.returning = arr(obj(n.returning)?.columns).map((c) => this.selectItem(c, b));
    return b;
  }

  private assignment(a: N, b: QueryBlock) {
    const column = nameOf(a.column) ?? '';
    const ci = this.find((i) => this.isName(i, column));
    const value = this.expr(a.value, b, 'set');
    b.assignments.push({ column, value, range: ci >= 0 ? span(this.toks.rangeOf(ci), value.range) : value.range });
  }

  private update(n: N, range: Range): QueryBlock {
    const b = newBlock('update', range, null, 'statement', null);
    this.withClause(n, b);
    const tables = arr(n.table);
    if (tables[0]) b.target = this.tableRef(tables[0], b);
    for (const extra of tables.slice(1)) b.from.push(this.tableRef(extra, b));
    for (const a of arr(n.set)) this.assignment(a, b);
    this.fromList(arr(n.from), b);
    if (n.where) b.where = this.expr(n.where, b, 'where');
    this.orderLimit(n, b);
    b.returning = arr(obj(n.returning)?.columns).map((c) => this.selectItem(c, b));
    return b;
  }

  private delete(n: N, range: Range): QueryBlock {
    const b = newBlock('delete', range, null, 'statement', null);
    this.withClause(n, b);
    const from = arr(n.from);
    const target = from[0] ?? arr(n.table)[0];
    if (target) b.target = this.tableRef(target, b);
    this.fromList(from.slice(1), b);
    if (n.where) b.where = this.expr(n.where, b, 'where');
    this.orderLimit(n, b);
    b.returning = arr(obj(n.returning)?.columns).map((c) => this.selectItem(c, b));
    return b;
  }

  // ---- FROM ------------------------------------------------------------------------

  private fromList(items: N[], b: QueryBlock) {
    items.forEach((item, i) => {
      const joinWord = typeof item.join === 'string' ? item.join.toUpperCase() : null;
      let kwStart: number | undefined;
      if (joinWord) {
        let k = this.findWord('JOIN');
        while (k > 0 && /^(LEFT|RIGHT|FULL|INNER|OUTER|CROSS|NATURAL)$/i.test(this.toks.tokens[k - 1]!.value)) k--;
        if (k >= 0) kwStart = this.toks.tokens[k]!.start;
      }
      const t = this.tableRef(item, b);
      b.from.push(t);
      if (i === 0 && !joinWord) return;
      const using = Array.isArray(item.using) ? (item.using as unknown[]).map((u) => nameOf(u) ?? '') : null;
      const on = item.on ? this.expr(item.on, b, 'join') : null;
      if (using) for (const u of using) this.find((k) => this.isName(k, u));
      let kind: Join['kind'] = 'comma';
      if (joinWord) {
        kind = /NATURAL/.test(joinWord) ? 'natural' : /LEFT/.test(joinWord) ? 'left' : /RIGHT/.test(joinWord) ? 'right' : /FULL/.test(joinWord) ? 'full' : /CROSS/.test(joinWord) ? 'cross' : 'inner';
        if (kind === 'inner' && !on && !using) kind = 'cross';
      }
      const end = Math.max(t.range.end, on?.range.end ?? 0, using ? this.here().start : 0);
      b.joins.push({ kind, table: t, on, using, range: { start: kwStart ?? t.range.start, end: Math.max(end, t.range.end) } });
    });
  }

  private tableRef(item: N, b: QueryBlock): TableRef {
    const alias = nameOf(item.as);
    const expr = obj(item.expr);
    const lateral = Boolean(item.lateral || expr?.lateral || obj(item.prefix)?.value === 'LATERAL' || item.prefix === 'LATERAL');
    if (expr && (expr.ast || expr.type === 'select' || expr.tableList)) {
      const ast = obj(expr.ast) ?? expr;
      const q = this.subqueryBlock(ast, b, 'from', 'from');
      let range = q.outer;
      if (alias) {
        const i = this.find((k) => this.isName(k, alias));
        if (i >= 0) range = span(range, this.toks.rangeOf(i));
      }
      return { kind: 'derived', name: null, schema: null, alias, range, query: q.block, lateral, hole: false };
    }
    if (expr || item.type === 'expr') {
      const e = this.expr(expr ?? item, b, 'from');
      const kind = e.type === 'func' ? 'function' : 'values';
      return { kind, name: e.type === 'func' ? e.name : null, schema: null, alias, range: e.range, lateral, hole: false };
    }
    const name = nameOf(item.table) ?? '';
    const schema = nameOf(item.db) ?? nameOf(item.schema);
    let range = this.enter(item);
    if (!range) {
      const i = this.find((k) => this.isName(k, schema ?? name));
      range = i >= 0 ? { start: this.toks.tokens[i]!.start, end: this.toks.tokens[this.toks.dottedEnd(i)]!.end } : this.here();
    } else {
      // the location can include the alias: keep the name
      const i = this.toks.indexAt(range.start);
      range = { start: range.start, end: this.toks.tokens[this.toks.dottedEnd(i)]!.end };
    }
    this.leave(range);
    if (alias) this.find((k) => this.isName(k, alias));
    const isCte = b.ctes.some((c) => c.name.toLowerCase() === name.toLowerCase());
    // a template placeholder (`FROM ${table}`): the table is a variable
    const variable = !schema && this.stmt.rewrites?.some((r) => r.kind === 'identifier' && r.start <= range.start && range.start < r.end);
    return { kind: isCte ? 'cte' : 'table', name, schema, alias, range, lateral, hole: HOLE_IDENT.test(name) || Boolean(variable) };
  }

  /** A parenthesised query: `(` SELECT ... `)`. */
  private subqueryBlock(ast: N, parent: QueryBlock, context: BlockContext, clause: Clause | null): { block: QueryBlock; range: Range; outer: Range } {
    const kw = this.find((i) => {
      const v = this.toks.tokens[i]!.value.toUpperCase();
      return this.toks.tokens[i]!.type === 'ident' && (v === 'SELECT' || v === 'WITH' || v === 'VALUES' || v === 'INSERT' || v === 'UPDATE' || v === 'DELETE');
    });
    const start = kw >= 0 ? this.toks.tokens[kw]!.start : this.here().start;
    if (kw >= 0) this.cursor = kw;
    const p = kw >= 0 ? this.toks.enclosingParens({ start, end: start + 1 }) : undefined;
    const inner: Range = p ? p.inner : { start, end: parent.range.end };
    const type = String(ast.type ?? 'select').toLowerCase();
    let block: QueryBlock;
    if (type === 'select') block = this.select(ast, parent, context, clause, inner);
    else block = newBlock('select', inner, parent, context, clause);
    if (!p) block.range = extendToContents(block);
    const outer = p ? { start: this.toks.tokens[p.open]!.start, end: this.toks.tokens[p.close]!.end } : block.range;
    this.leave(outer);
    return { block, range: block.range, outer };
  }

  // ---- expressions -----------------------------------------------------------------

  private other(kind: string, children: Expr[], range: Range): Expr {
    return { type: 'other', kind, children, range };
  }

  expr(node: unknown, b: QueryBlock, clause: Clause): Expr {
    const n = obj(node);
    if (!n) {
      if (Array.isArray(node)) {
        const items = (node as unknown[]).map((x) => this.expr(x, b, clause));
        return { type: 'list', items, range: items.length ? items.map((i) => i.range).reduce(span) : this.here() };
      }
      return this.other('unknown', [], this.here());
    }
    this.guard.enter();
    const located = this.enter(n);
    const built = this.finish(this.exprInner(n, b, clause, located), located);
    this.guard.leave();
    return built;
  }

  /** A built expression's range widened to its node's location, and the cursor moved past it. */
  private finish(e: Expr, located: Range | undefined): Expr {
    if (located && !(e.type === 'column' && located.end > e.range.end + 1)) e.range = located.start <= e.range.start ? span(located, e.range) : e.range;
    this.leave(e.range);
    return e;
  }

  /** One expression node, by type. */
  private exprInner(n: N, b: QueryBlock, clause: Clause, located: Range | undefined): Expr {
    const type = String(n.type ?? '');
    if (n.ast && !n.type) return this.subqueryExpr(obj(n.ast)!, b, clause, 'scalar');
    switch (type) {
      case 'column_ref':
        return this.columnRef(n, located);
      case 'star': {
        const i = located ? -1 : this.find((k) => this.toks.tokens[k]!.value === '*');
        return { type: 'column', qualifier: null, name: '*', range: located ?? (i >= 0 ? this.toks.rangeOf(i) : this.here()) };
      }
      case 'number':
        return this.numberLiteral(n, located);
      case 'single_quote_string':
      case 'double_quote_string':
      case 'natural_string':
      case 'string':
      case 'hex_string':
      case 'full_hex_string':
      case 'bit_string':
      case 'regex_string':
      case 'backticks_quote_string': {
        const i = located ? -1 : this.find((k) => this.toks.tokens[k]!.type === 'string');
        return { type: 'literal', kind: 'string', value: String(n.value ?? ''), range: located ?? (i >= 0 ? this.toks.rangeOf(i) : this.here()) };
      }
      case 'bool':
      case 'boolean': {
        const i = located ? -1 : this.find((k) => /^(TRUE|FALSE)$/i.test(this.toks.tokens[k]!.value));
        return { type: 'literal', kind: 'boolean', value: Boolean(n.value), range: located ?? (i >= 0 ? this.toks.rangeOf(i) : this.here()) };
      }
      case 'null': {
        const i = located ? -1 : this.findWord('NULL');
        return { type: 'literal', kind: 'null', value: null, range: located ?? (i >= 0 ? this.toks.rangeOf(i) : this.here()) };
      }
      case 'param':
      case 'var':
      case 'origin':
        return this.paramOrKeyword(n, type, located);
      case 'function':
      case 'aggr_func':
      case 'window_func':
        return this.call(n, type, b, clause);
      case 'binary_expr':
        return this.binaryChain(n, b, clause);
      case 'unary_expr':
        return this.unary(n, b, clause, located);
      case 'expr_list':
        return this.exprList(n, b, clause, located);
      case 'case':
        return this.caseExpr(n, b, clause);
      case 'cast':
        return this.castExpr(n, b, clause);
      case 'select':
        return this.subqueryExpr(n, b, clause, 'scalar');
      default:
        return this.generic(n, type, b, clause, located);
    }
  }

  /**
   * `a AND b AND c`, `x + y + z`: node-sql-parser nests binary operators to the left, one level per
   * operator. The left spine is walked in a loop, entering each node as \`expr\` would and finishing
   * them bottom-up, so a chain of thousands of ORs is built without recursion.
   */
  private binaryChain(n: N, b: QueryBlock, clause: Clause): Expr {
    const spine: Array<{ node: N; located: Range | undefined }> = [];
    let leftmost: unknown = n.left;
    for (let o = obj(leftmost); o?.type === 'binary_expr' && !o.ast; o = obj(leftmost)) {
      spine.push({ node: o, located: this.enter(o) });
      leftmost = o.left;
    }
    let left = this.expr(leftmost, b, clause);
    for (let i = spine.length - 1; i >= 0; i--) left = this.finish(this.binary(spine[i]!.node, left, b, clause), spine[i]!.located);
    return this.binary(n, left, b, clause);
  }

  /** A binary operator over its built left operand. */
  private binary(n: N, left: Expr, b: QueryBlock, clause: Clause): Expr {
    const [op, firstWord] = operatorWords(String(n.operator ?? ''));
    const oi = this.find((k) => this.toks.tokens[k]!.value.toUpperCase() === firstWord || (firstWord === '<>' && this.toks.tokens[k]!.value === '!=') || (firstWord === '=' && this.toks.tokens[k]!.value === '<=>'));
    const opRange = oi >= 0 ? this.toks.rangeOf(oi) : { start: left.range.end, end: left.range.end };
    // MySQL's null-safe `<=>` was read as `=`: an equality all the same
    if (oi >= 0 && this.toks.tokens[oi]!.value === '<=>') {
      const right = this.expr(n.right, b, clause);
      return { type: 'binary', op: '<=>', left, right, range: span(left.range, right.range), opRange };
    }
    let rightNode = n.right;
    if ((op === 'BETWEEN' || op === 'NOT BETWEEN') && obj(rightNode)?.type === 'expr_list') {
      const vals = arr(obj(rightNode)!.value);
      const lo = this.expr(vals[0], b, clause);
      const hi = this.expr(vals[1], b, clause);
      const right: Expr = { type: 'list', items: [lo, hi], range: span(lo.range, hi.range) };
      return { type: 'binary', op, left, right, range: span(left.range, right.range), opRange };
    }
    const ro = obj(rightNode);
    if ((op === 'IN' || op === 'NOT IN') && ro?.type === 'expr_list') {
      const vals = arr(ro.value);
      if (vals.length === 1 && vals[0]!.ast) {
        const sq = this.subqueryExpr(obj(vals[0]!.ast)!, b, clause, 'in');
        return { type: 'binary', op, left, right: sq, range: span(left.range, sq.range), opRange };
      }
      const open = this.find((k) => this.toks.tokens[k]!.value === '(');
      const items = vals.map((v) => this.expr(v, b, clause));
      const close = open >= 0 ? this.toks.matching(open) : -1;
      const lr = open >= 0 && close > 0 ? { start: this.toks.tokens[open]!.start, end: this.toks.tokens[close]!.end } : items.length ? items.map((i) => i.range).reduce(span) : opRange;
      if (close > 0) this.cursor = Math.max(this.cursor, close + 1);
      const right: Expr = { type: 'list', items, range: lr };
      return { type: 'binary', op, left, right, range: span(left.range, lr), opRange };
    }
    if (ro && !ro.type && ro.ast) rightNode = ro;
    const right = this.expr(rightNode, b, clause);
    const normOp = op === '!=' ? '<>' : op === 'IS' && right.type === 'literal' && right.kind === 'null' ? 'IS' : op;
    return { type: 'binary', op: normOp, left, right, range: span(left.range, right.range), opRange };
  }

  /** A column; a sqlperf placeholder or a T-SQL `@@variable` is a parameter. */
  private columnRef(n: N, located: Range | undefined): Expr {
    const name = nameOf(n.column) ?? '';
    const qualifier = nameOf(n.table);
    let range = located;
    if (!range) {
      const first = qualifier ?? name;
      const i = this.find((k) => (first === '*' ? this.toks.tokens[k]!.value === '*' : this.isName(k, first)));
      range = i >= 0 ? { start: this.toks.tokens[i]!.start, end: this.toks.tokens[this.toks.dottedEnd(i)]!.end } : this.here();
    }
    if (HOLE_IDENT.test(name) && !qualifier) return { type: 'param', name, range };
    // T-SQL `@@SPID` arrives as a column named `@`: a variable is a value, not a column
    if (name.startsWith('@') && !qualifier) return { type: 'param', name, range };
    return { type: 'column', qualifier: qualifier || null, name, range };
  }

  /** A number, or a parameter the grammar read as one (SQLite `LIMIT ?`). */
  private numberLiteral(n: N, located: Range | undefined): Expr {
    const i = located ? this.toks.indexAt(located.start) : this.find((k) => this.toks.tokens[k]!.type === 'number' || this.rewriteAt(k, 'param') !== undefined);
    // a parameter the grammar does not take there (SQLite `LIMIT ?`) was read as a number
    if (i >= 0 && this.rewriteAt(i, 'param')) return { type: 'param', name: this.toks.tokens[i]!.value, range: this.toks.rangeOf(i) };
    return { type: 'literal', kind: 'number', value: Number(n.value), range: located ?? (i >= 0 ? this.toks.rangeOf(i) : this.here()) };
  }

  /** A parameter (`?`, `:name`, `@x`), or a keyword the grammar gives as a value. */
  private paramOrKeyword(n: N, type: string, located: Range | undefined): Expr {
    if (type === 'origin' && n.value !== '?') {
      const i = this.find((k) => this.toks.tokens[k]!.value.toUpperCase() === String(n.value).toUpperCase().split(' ')[0]);
      return this.other('keyword', [], located ?? (i >= 0 ? this.toks.rangeOf(i) : this.here()));
    }
    const i = located ? -1 : this.find((k) => this.toks.tokens[k]!.type === 'param');
    const range = located ?? (i >= 0 ? this.toks.rangeOf(i) : this.here());
    return { type: 'param', name: this.text.slice(range.start, range.end), range };
  }

  /** A function call; `EXISTS (...)`, `ANY (...)` and sqlc parameters read as calls are what they are. */
  private call(n: N, type: string, b: QueryBlock, clause: Clause): Expr {
    const rawName = nameOf(n.name) ?? '';
    const short = rawName.split('.').pop() ?? rawName;
    const schema = nameOf(obj(obj(n.name)?.schema));
    if (schema && isSqlcParam([schema, short])) {
      // sqlc.arg(x), sqlc.narg(x), sqlc.slice(x): sqlc's parameters
      const si = this.find((k) => k + 2 < this.toks.tokens.length && this.isName(k, schema) && this.toks.tokens[k + 1]?.value === '.' && this.isName(k + 2, short));
      if (si >= 0) {
        const close = this.toks.tokens[si + 3]?.value === '(' ? this.toks.matching(si + 3) : -1;
        const range = { start: this.toks.tokens[si]!.start, end: this.toks.tokens[close > 0 ? close : si + 2]!.end };
        this.cursor = Math.max(this.cursor, (close > 0 ? close : si + 2) + 1);
        return { type: 'param', name: this.text.slice(range.start, range.end), range };
      }
    }
    // MySQL's grammar reads `EXISTS (SELECT ...)` as a call
    const firstArg = arr(obj(n.args)?.value)[0];
    if (/^(NOT )?EXISTS$/i.test(rawName) && firstArg?.ast) {
      const ki = this.findWord('EXISTS');
      const sq = this.subqueryExpr(obj(firstArg.ast)!, b, clause, 'exists');
      const ex: Expr = { type: 'unary', op: 'EXISTS', arg: sq, range: span(ki >= 0 ? this.toks.rangeOf(ki) : sq.range, sq.range) };
      return /^NOT/i.test(rawName) ? { type: 'unary', op: 'NOT', arg: ex, range: ex.range } : ex;
    }
    // `x <> ALL (SELECT ...)`, `x = ANY (SELECT ...)` likewise
    if (/^(ALL|ANY|SOME)$/i.test(rawName) && firstArg?.ast) {
      this.findWord(rawName.toUpperCase());
      return this.subqueryExpr(obj(firstArg.ast)!, b, clause, 'any');
    }
    const ni = this.find((k) => this.isName(k, short) || this.toks.tokens[k]!.value.toUpperCase() === short.toUpperCase());
    const nameRange = ni >= 0 ? this.toks.rangeOf(ni) : this.here();
    const argsNode = n.args;
    const args: Expr[] = [];
    let star = false;
    let distinct = false;
    const ao = obj(argsNode);
    if (ao?.type === 'expr_list') for (const a of arr(ao.value)) args.push(this.expr(a, b, clause));
    else if (ao) {
      if (ao.distinct) distinct = true;
      const inner = obj(ao.expr);
      if (inner?.type === 'star') {
        star = true;
        this.find((k) => this.toks.tokens[k]!.value === '*');
      } else if (inner) args.push(this.expr(inner, b, clause));
      for (const o of arr(ao.orderby)) args.push(this.expr(o.expr, b, clause));
    }
    const extra: Expr[] = [];
    const over = obj(n.over);
    const ws = obj(over?.as_window_specification);
    const spec = obj(ws?.window_specification) ?? obj(over?.window_specification) ?? over;
    for (const p of arr(spec?.partitionby)) extra.push(this.expr(p.expr ?? p, b, clause));
    for (const o of arr(spec?.orderby)) extra.push(this.expr(o.expr, b, clause));
    const name = short.toLowerCase();
    const open = ni >= 0 && this.toks.tokens[ni + 1]?.value === '(' ? ni + 1 : -1;
    const close = open >= 0 ? this.toks.matching(open) : -1;
    let range = close > 0 ? { start: nameRange.start, end: this.toks.tokens[close]!.end } : nameRange;
    for (const x of [...args, ...extra]) range = span(range, x.range);
    if (close > 0) this.cursor = Math.max(this.cursor, close + 1);
    // `NOT (x IN (...))` arrives as a call of NOT: it is the operator, as from libpg-query
    if (name === 'not' && type === 'function' && args.length === 1 && !over) {
      const arg = args[0]!;
      if (arg.type === 'binary' && arg.op === 'IN') return { ...arg, op: 'NOT IN', range };
      return { type: 'unary', op: 'NOT', arg, range };
    }
    return { type: 'func', name, args, star, distinct, aggregate: type === 'aggr_func' || AGGREGATES.has(name), window: Boolean(over), extra, nameRange, range };
  }

  /** NOT, EXISTS, unary minus (MySQL `BINARY x`, rewritten to `- x`, is a cast). */
  private unary(n: N, b: QueryBlock, clause: Clause, located: Range | undefined): Expr {
    const op = String(n.operator ?? '').toUpperCase();
    // MySQL `BINARY x` was read as `- x`: a cast, i.e. a function over x
    const bi = op === '-' ? this.rewrittenBinary(located) : -1;
    if (bi >= 0) {
      this.cursor = Math.max(this.cursor, bi + 1);
      const arg = this.expr(n.expr, b, clause);
      const nameRange = this.toks.rangeOf(bi);
      return { type: 'func', name: 'binary', args: [arg], star: false, distinct: false, aggregate: false, window: false, extra: [], nameRange, range: span(nameRange, arg.range) };
    }
    const oi = this.findWord(op.split(' ')[0]!);
    const opRange = oi >= 0 ? this.toks.rangeOf(oi) : this.here();
    const inner = obj(n.expr);
    if (op.includes('EXISTS')) {
      const ast = obj(inner?.ast) ?? inner ?? {};
      const sq = this.subqueryExpr(ast, b, clause, 'exists');
      const ex: Expr = { type: 'unary', op: 'EXISTS', arg: sq, range: span(opRange, sq.range) };
      return op.startsWith('NOT') ? { type: 'unary', op: 'NOT', arg: ex, range: ex.range } : ex;
    }
    const arg = this.expr(inner, b, clause);
    if (op === 'NOT' && arg.type === 'binary' && arg.op === 'IN') return { ...arg, op: 'NOT IN', range: span(opRange, arg.range) };
    return { type: 'unary', op: op === '!' ? 'NOT' : op, arg, range: span(opRange, arg.range) };
  }

  /** A bracketed list. */
  private exprList(n: N, b: QueryBlock, clause: Clause, located: Range | undefined): Expr {
    const open = located ? -1 : this.find((k) => this.toks.tokens[k]!.value === '(');
    const items = arr(n.value).map((v) => this.expr(v, b, clause));
    const close = open >= 0 ? this.toks.matching(open) : -1;
    if (close > 0) this.cursor = Math.max(this.cursor, close + 1);
    const range = open >= 0 && close > 0 ? { start: this.toks.tokens[open]!.start, end: this.toks.tokens[close]!.end } : items.length ? items.map((i) => i.range).reduce(span) : this.here();
    return { type: 'list', items, range };
  }

  /** CASE ... END. */
  private caseExpr(n: N, b: QueryBlock, clause: Clause): Expr {
    const kw = this.findWord('CASE');
    const parts: Expr[] = [];
    if (n.expr) parts.push(this.expr(n.expr, b, clause));
    for (const a of arr(n.args)) {
      if (a.cond) parts.push(this.expr(a.cond, b, clause));
      if (a.result) parts.push(this.expr(a.result, b, clause));
    }
    const end = this.findWord('END');
    let range = kw >= 0 ? this.toks.rangeOf(kw) : this.here();
    for (const p of parts) range = span(range, p.range);
    if (end >= 0) range = span(range, this.toks.rangeOf(end));
    return { type: 'case', parts, range };
  }

  /** `CAST(x AS t)`, `x::t`. */
  private castExpr(n: N, b: QueryBlock, clause: Clause): Expr {
    const arg = this.expr(n.expr, b, clause);
    const target = arr(n.target)[0] ?? obj(n.target);
    const typeName = String(target?.dataType ?? '');
    const ti = typeName ? this.find((k) => this.toks.tokens[k]!.value.toUpperCase() === typeName.split(/[\s(]/)[0]!.toUpperCase()) : -1;
    let range = ti >= 0 ? span(arg.range, this.toks.rangeOf(ti)) : arg.range;
    // CAST(x AS t): include the keyword and the closing bracket
    const p = this.toks.enclosingParens(arg.range);
    if (p && this.toks.tokens[p.open - 1]?.value.toUpperCase() === 'CAST') range = { start: this.toks.tokens[p.open - 1]!.start, end: this.toks.tokens[p.close]!.end };
    return { type: 'cast', arg, typeName, range };
  }

  /** A node sqlperf has no model for: its expression children are kept, so nothing under it is lost. */
  private generic(n: N, type: string, b: QueryBlock, clause: Clause, located: Range | undefined): Expr {
    const kids: Expr[] = [];
    for (const [k, v] of Object.entries(n)) {
      if (k === 'loc' || k === 'type') continue;
      for (const item of Array.isArray(v) ? v : [v]) {
        const o = obj(item);
        if (o && (typeof o.type === 'string' || o.ast)) kids.push(this.expr(o, b, clause));
      }
    }
    const range = located ?? (kids.length ? kids.map((x) => x.range).reduce(span) : this.here());
    return this.other(type || 'unknown', kids, range);
  }

  private subqueryExpr(ast: N, b: QueryBlock, clause: Clause, context: BlockContext): Expr {
    const q = this.subqueryBlock(ast, b, context, clause);
    return { type: 'subquery', query: q.block, range: q.outer };
  }
}
