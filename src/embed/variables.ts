/**
 * SQL held in a local variable and passed to a call later in the same function:
 * `const q = \`SELECT ...\`; await db.query(q)`, or built up in steps:
 * `let sql = 'SELECT ...'; if (x) sql += ' AND b = $1'; db.query(sql, args)`. The site is the
 * declaration's literal followed by every `sql += ...` between it and the call (in the same
 * function), joined by `join` holes that stand for nothing, so positions stay exact in the host.
 */
import { branches, literalSite, looksLikeSqlStatement, previewText, scopeOf, startsLikeStatement, type HostHole, type ParentOf, type HostPart, type SqlSite } from './detect.js';
import type { AstNode, TSESTree } from './estree.js';

/** An identifier passed to a call, to resolve to the SQL a local variable holds. */
export interface VarUse {
  id: TSESTree.Identifier;
  call: TSESTree.CallExpression | TSESTree.NewExpression;
  /** The call is a known query call with a strong name: the SQL is certain. */
  certain: boolean;
  via: string;
  extra: Partial<SqlSite>;
}

export interface VarContext {
  code: string;
  parentOf: ParentOf;
  sites: SqlSite[];
  taken: Set<AstNode>;
  declarators: Map<string, TSESTree.VariableDeclarator[]>;
  appends: Map<string, TSESTree.AssignmentExpression[]>;
  markNested: (node: AstNode, taken: Set<AstNode>) => void;
  /** Makes a site of `node` with the given parts and holes (node links set up like any site). */
  makeSite: (node: AstNode, lit: Pick<SqlSite, 'kind' | 'range' | 'parts' | 'holes'>, certain: boolean, via: string, extra: Partial<SqlSite>) => SqlSite;
}

/** The expression of a hole of a site built from several literals (holeExpression cannot find those). */
export const HOLE_EXPRS = new WeakMap<HostHole, AstNode>();

type Lit = Pick<SqlSite, 'kind' | 'range' | 'parts' | 'holes'>;

function enclosing(node: AstNode, parentOf: ParentOf): Set<AstNode> {
  const out = new Set<AstNode>();
  for (let p = parentOf(node); p; p = parentOf(p)) out.add(p);
  return out;
}

/** The declarator of `name` that is in scope at `use`: in an enclosing function, before the use, the nearest. */
function declaratorFor(use: VarUse, ctx: VarContext): TSESTree.VariableDeclarator | undefined {
  const list = ctx.declarators.get(use.id.name);
  if (!list) return undefined;
  const at = use.call.range?.[0] ?? 0;
  const up = enclosing(use.call, ctx.parentOf);
  let best: TSESTree.VariableDeclarator | undefined;
  for (const d of list) {
    const r = d.range;
    if (!r || r[1] > at) continue;
    if (!up.has(scopeOf(d, ctx.parentOf))) continue;
    if (!best || r[0] > best.range[0]) best = d;
  }
  return best;
}

/** A literal operand, or the expression as one hole. */
function asLit(node: AstNode, code: string): Lit | undefined {
  const lit = literalSite(node, code);
  if (lit) return lit;
  const r = node.range;
  if (!r) return undefined;
  const hole: HostHole = { start: r[0], end: r[1] };
  HOLE_EXPRS.set(hole, node);
  return { kind: 'concat', range: r, parts: [{ start: r[0], end: r[0] }, { start: r[1], end: r[1] }], holes: [hole] };
}

/** Several literals in source order as one site: the code between them is a `join` hole. */
function merge(lits: [Lit, ...Lit[]]): Lit {
  const [head, ...rest] = lits;
  const parts: HostPart[] = [...head.parts];
  const holes: HostHole[] = [...head.holes];
  let end = head.range[1];
  for (const lit of rest) {
    const before = parts[parts.length - 1]?.end ?? lit.range[0];
    holes.push({ start: before, end: lit.parts[0]?.start ?? lit.range[0], join: true });
    parts.push(...lit.parts);
    holes.push(...lit.holes);
    end = lit.range[1];
  }
  const kind = rest.length ? (lits.some((l) => l.kind === 'template') ? 'template' : 'concat') : head.kind;
  return { kind, range: [head.range[0], end], parts, holes };
}

/** Turns identifiers passed to calls into sites of the SQL their variable holds. */
export function resolveVariables(uses: VarUse[], ctx: VarContext): void {
  const done = new Map<AstNode, SqlSite>();
  for (const use of uses) {
    const decl = declaratorFor(use, ctx);
    if (!decl) continue;
    const init = decl.init;
    if (!init) continue;
    const inits = branches(init);
    const holder = ctx.parentOf(decl);
    const kind = holder?.type === 'VariableDeclaration' ? holder.kind : undefined;
    // `let` may grow with `+=` before the call; `const` is what it was declared
    const adds = kind === 'const' || inits.length > 1 ? [] : (ctx.appends.get(use.id.name) ?? []).filter((a) => a.range[0] > decl.range[1] && a.range[1] <= use.call.range[0] && scopeOf(a, ctx.parentOf) === scopeOf(decl, ctx.parentOf));
    for (const node of inits) {
      const prior = done.get(node);
      if (prior) {
        if (use.certain && !prior.certain) {
          prior.certain = true;
          prior.via = `${use.via}+var`;
        }
        continue;
      }
      const first = literalSite(node, ctx.code);
      if (!first) continue;
      const existing = ctx.sites.findIndex((s) => s.node === node);
      if (existing < 0 && ctx.taken.has(node)) continue;
      if (existing >= 0 && ctx.sites[existing]?.certain && !adds.length) continue;
      const lits: [Lit, ...Lit[]] = [first];
      for (const a of adds) {
        const lit = asLit(a.right, ctx.code);
        if (lit) lits.push(lit);
      }
      const lit = merge(lits);
      const text = previewText(lit, ctx.code);
      if (!(use.certain ? startsLikeStatement(text) : looksLikeSqlStatement(text))) continue;
      if (existing >= 0) ctx.sites.splice(existing, 1);
      const site = ctx.makeSite(node, lit, use.certain, `${use.via}+var`, use.extra);
      done.set(node, site);
      ctx.taken.add(node);
      ctx.markNested(node, ctx.taken);
      for (const a of adds) {
        const right = a.right;
        ctx.markNested(right, ctx.taken);
        const i = ctx.sites.findIndex((s) => s.node === right);
        if (i >= 0) ctx.sites.splice(i, 1);
      }
    }
  }
}
