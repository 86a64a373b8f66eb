import type { Range } from '../range.js';
import type { BlockContext, Clause, ColumnExpr, Expr, QueryBlock, StatementModel, TableRef } from './types.js';
import { BlockMemo } from './memo.js';
import { blockConstructs, exprConstructs } from './constructs.js';
import { forEachBlockExpr, walkExpr } from './walk.js';

export function newBlock(type: QueryBlock['type'], range: Range, parent: QueryBlock | null, context: BlockContext, parentClause: Clause | null): QueryBlock {
  const block: QueryBlock = {
    type,
    range,
    parent,
    context,
    parentClause,
    depth: parent ? (context === 'cte' || context === 'setop' ? parent.depth : parent.depth + 1) : 0,
    ctes: [],
    from: [],
    joins: [],
    target: null,
    selectItems: [],
    where: null,
    groupBy: [],
    having: null,
    orderBy: [],
    limit: null,
    offset: null,
    distinct: null,
    setOp: null,
    insertColumns: null,
    values: [],
    assignments: [],
    returning: [],
    onConflict: [],
    locking: null,
    children: [],
    outerRefs: [],
  };
  parent?.children.push(block);
  return block;
}

/**
 * A block's range grown to cover everything built into it (parsers do not give query ends).
 * `branchesExtended`: the set-operation branches' ranges already cover their contents (built
 * bottom-up), so they are read rather than recomputed, which keeps a long UNION chain linear.
 */
export function extendToContents(b: QueryBlock, branchesExtended = false): Range {
  let end = b.range.end;
  const grow = (r: Range | undefined) => {
    if (r && r.end > end) end = r.end;
  };
  b.from.forEach((t) => grow(t.range));
  b.joins.forEach((j) => grow(j.range));
  b.selectItems.forEach((s) => grow(s.range));
  grow(b.where?.range);
  b.groupBy.forEach((g) => grow(g.range));
  grow(b.having?.range);
  b.orderBy.forEach((o) => grow(o.range));
  grow(b.limit?.range);
  grow(b.offset?.range);
  b.values.forEach((row) => row.forEach((v) => grow(v.range)));
  if (b.setOp) b.setOp.branches.forEach((x) => grow(branchesExtended ? x.range : extendToContents(x)));
  return { start: b.range.start, end };
}

/** Placeholder identifiers that the JS/TS embedder puts where a `${}` hole stands for a name. */
export const HOLE_IDENT = /^__sqlperf_p\d+$/i;

/** Every block of a statement, parents before children. */
export function allBlocks(root: QueryBlock | null): QueryBlock[] {
  const out: QueryBlock[] = [];
  const visit = (b: QueryBlock) => {
    out.push(b);
    for (const c of b.children) visit(c);
  };
  if (root) visit(root);
  return out;
}

/** Tables visible by name in a block: FROM items, the DML target. */
function scopeTables(b: QueryBlock): TableRef[] {
  return b.target ? [b.target, ...b.from] : b.from;
}

/** What a qualifier names in one block: an alias or an unaliased table (`exact`), or a table name an alias shadows (`shadowed`, for lenient `schema.table.column`). */
type Visibility = 'exact' | 'shadowed';

const keyOf = (t: TableRef, v: Visibility): string | undefined => (v === 'exact' ? (t.alias !== null ? t.alias.toLowerCase() : t.name?.toLowerCase()) : t.alias !== null ? t.name?.toLowerCase() : undefined);

/** Per block and visibility: qualifier (lower case) -> the table it names. */
const scopeIndex = new BlockMemo<Record<Visibility, Map<string, TableRef>>>();

function findInScope(b: QueryBlock, qualifier: string, v: Visibility): TableRef | undefined {
  const q = qualifier.toLowerCase();
  // a handful of tables: scan them; many (a query with hundreds of joins): index them once
  if (b.from.length < 16) return scopeTables(b).find((t) => keyOf(t, v) === q);
  let index = scopeIndex.get(b);
  if (!index) {
    index = { exact: new Map(), shadowed: new Map() };
    for (const t of scopeTables(b)) {
      for (const vis of ['exact', 'shadowed'] as const) {
        const key = keyOf(t, vis);
        if (key !== undefined && !index[vis].has(key)) index[vis].set(key, t);
      }
    }
    scopeIndex.set(b, index);
  }
  return index[v].get(q);
}

function bind(col: ColumnExpr, scope: QueryBlock, t: TableRef | undefined, origin: QueryBlock) {
  col.scope = scope;
  const real = t && t.kind === 'table' && !t.hole ? t : null;
  col.table = real ? real.name : null;
  col.ref = real;
  col.outer = scope !== origin;
  if (col.outer) {
    for (let b: QueryBlock | null = origin; b && b !== scope; b = b.parent) b.outerRefs.push(col);
  }
}

/** Binds a qualified column to the table its qualifier names in its query or an enclosing one; false when none does. */
function bindQualified(column: ColumnExpr, qualifier: string, b: QueryBlock): boolean {
  // an alias hides its table's name: in `FROM t t2`, `t.` is an enclosing query's t, so shadowed names are a last resort
  for (const v of ['exact', 'shadowed'] as const) {
    for (let s: QueryBlock | null = b; s; s = s.parent) {
      // a derived table (not LATERAL) cannot see its siblings, but seeing them is harmless here
      const t = findInScope(s, qualifier, v);
      if (t) {
        bind(column, s, t, b);
        return true;
      }
    }
  }
  return false;
}

/**
 * Resolves each column to the real table it reads (never an alias) and marks references to
 * enclosing queries (correlation). Unqualified columns belong to the innermost query with tables:
 * without a schema that is what SQL resolves first. The same walk notes the constructs of every
 * expression (src/model/constructs.ts), returned as bits.
 */
export function resolveColumns(blocks: QueryBlock[]): number {
  let seen = 0;
  for (const b of blocks) {
    const aliases = selectAliases(b);
    let clause: Clause = 'select';
    const visit = (x: Expr) => {
      if (x.type === 'column') resolveColumn(x, clause, b, aliases);
      else seen |= exprConstructs(x);
    };
    forEachBlockExpr(b, (c, root) => {
      clause = c;
      walkExpr(root, visit);
    });
  }
  return seen;
}

const NO_ALIASES: ReadonlySet<string> = new Set();

/** The block's select-list aliases, lower-cased. */
function selectAliases(b: QueryBlock): ReadonlySet<string> {
  let out: Set<string> | undefined;
  for (const s of b.selectItems) if (s.alias) (out ??= new Set()).add(s.alias.toLowerCase());
  return out ?? NO_ALIASES;
}

function resolveColumn(column: ColumnExpr, clause: Clause, b: QueryBlock, selectAliases: ReadonlySet<string>): void {
  if (column.qualifier !== null) {
    if (!bindQualified(column, column.qualifier, b)) {
      column.scope = null;
      column.table = null;
    }
    return;
  }
  if ((clause === 'orderBy' || clause === 'groupBy' || clause === 'having') && selectAliases.has(column.name.toLowerCase())) {
    column.scope = b;
    column.table = null;
    return;
  }
  let s: QueryBlock | null = b;
  while (s && scopeTables(s).length === 0 && s.context === 'scalar') s = s.parent;
  if (!s) s = b;
  const tables = scopeTables(s);
  bind(column, s, tables.length === 1 ? tables[0] : undefined, b);
}

/** Marks table references that name a CTE of the block or of an enclosing block. */
export function resolveCtes(blocks: QueryBlock[]): void {
  for (const b of blocks) {
    for (const t of b.from) {
      if (t.kind !== 'table' && t.kind !== 'cte') continue;
      if (t.schema || !t.name) continue;
      for (let s: QueryBlock | null = b; s; s = s.parent) {
        const cte = s.ctes.find((c) => c.name.toLowerCase() === t.name!.toLowerCase());
        // a CTE does not see itself unless it is recursive, but either way the name is the CTE's
        if (cte) {
          t.kind = 'cte';
          t.cte = cte;
          break;
        }
      }
    }
  }
}

export function finishStatement(kind: StatementModel['kind'], keyword: string, range: Range, root: QueryBlock | null): StatementModel {
  // DDL and utility statements (most of a schema file): nothing to resolve
  if (!root) return { kind, keyword, range, root, blocks: [], constructs: 0 };
  const blocks = allBlocks(root);
  resolveCtes(blocks);
  let constructs = resolveColumns(blocks);
  for (const b of blocks) constructs |= blockConstructs(b);
  return { kind, keyword, range, root, blocks, constructs };
}
