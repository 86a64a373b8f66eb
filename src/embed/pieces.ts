import { cook, type Cooked } from './cook.js';
import { dottedName, literalSite, type HostHole, type SqlSite } from './detect.js';
import { isStringLiteral, type AstNode } from './estree.js';
import { chainFor, type FillChain, type HoleFill } from './hole-shapes.js';
import { holeExpression, templateHoleExprs } from './host-code.js';
import type { PrefixScanner } from './prefix-scan.js';
import type { Range } from '../range.js';
import type { Dialect } from '../dialect.js';
import type { DrizzleNames } from '../drizzle/scope.js';
import { columnSql, quoteIdent, tableSql } from '../drizzle/names.js';
import type { DrizzleTable } from '../drizzle/tables.js';
import { HOLE_EXPRS } from './variables.js';

/**
 * A site's literal as pieces (text, holes, sqlperf's own text), with nested SQL the code inserts
 * through a hole (a nested sql tag, a conditional between templates) inlined.
 */

export interface Hole {
  host: Range;
  origin: HoleFill['origin'];
  /** Fills to try, in order. */
  chain: FillChain;
  /** The SQL a `name` fill puts in (a Drizzle column or table), and the table it belongs to. */
  name?: { text: string; table?: DrizzleTable };
}

export type Piece = { kind: 'text'; cooked: Cooked } | { kind: 'hole'; hole: Hole } | { kind: 'synthetic'; text: string; at: number };

type LitLike = Pick<SqlSite, 'parts' | 'holes'>;

/** Expansion depth limit for nested fragments (`sql\`... ${sql\`... ${...}\`}\``). */
const MAX_DEPTH = 4;

/**
 * The SQL text a hole's expression inserts when the code shows it: a nested tagged template
 * (`${sql\`AND b = ${b}\`}`), and where the outer text is not parameterized also a template or
 * string (`${\`AND b = ${b}\`}`); for `c ? x : y` and `c && x`, the first non-empty branch.
 * Returns the literal node whose text to inline, and whether its own holes are bind parameters.
 */
function expansionOf(expr: AstNode | undefined, parameterized: boolean, code: string): { node: AstNode; parameterized: boolean } | undefined {
  if (!expr) return undefined;
  let n = expr;
  while (n.type === 'TSAsExpression' || n.type === 'TSNonNullExpression' || n.type === 'TSSatisfiesExpression') n = n.expression;
  const nonEmpty = (lit: AstNode) => {
    const l = literalSite(lit, code);
    return l !== undefined && l.parts.some((p) => code.slice(p.start, p.end).trim() !== '');
  };
  // text the code inserts as SQL: a clause (`AND a = 1`, `ORDER BY x`, `JOIN ...`), not a single word or a value (`'%x'`, `users`)
  const clauseText = (lit: AstNode) => {
    const l = literalSite(lit, code);
    if (!l) return false;
    const text = l.parts.map((p) => code.slice(p.start, p.end)).join('__HOLE__').trim();
    return /^[A-Za-z_(]/.test(text) && /\s/.test(text);
  };
  switch (n.type) {
    case 'TaggedTemplateExpression': {
      const quasi = n.quasi;
      const tag = dottedName(n.tag) ?? '';
      return nonEmpty(quasi) ? { node: quasi, parameterized: !/(?:^|\.)(?:raw|unsafe)$/.test(tag) } : undefined;
    }
    case 'TemplateLiteral':
      return !parameterized && clauseText(n) ? { node: n, parameterized: false } : undefined;
    case 'Literal':
      return !parameterized && typeof n.value === 'string' && clauseText(n) ? { node: n, parameterized: false } : undefined;
    case 'CallExpression': {
      // `sql.raw('ORDER BY name')`: text put into the SQL as it is
      const arg = n.arguments[0];
      const raw = /(?:^|\.)sql\.raw$/.test(dottedName(n.callee) ?? '') && n.arguments.length === 1 && arg && (arg.type === 'TemplateLiteral' || (arg.type === 'Literal' && typeof arg.value === 'string'));
      return raw && nonEmpty(arg) ? { node: arg, parameterized: false } : undefined;
    }
    case 'ConditionalExpression':
      return expansionOf(n.consequent, parameterized, code) ?? expansionOf(n.alternate, parameterized, code);
    case 'LogicalExpression':
      return n.operator === '&&' ? expansionOf(n.right, parameterized, code) : undefined;
    default:
      return undefined;
  }
}

/** The SQL text before the current point (it only grows), its scanner, and how many holes were inlined. */
export interface PieceState {
  before: string;
  scanner: PrefixScanner;
  expanded: number;
  /** What holes naming Drizzle tables and columns stand for (when the file's project is known), and the dialect to quote names in. */
  names: { resolve?: DrizzleNames; dialect: Dialect };
}

/** `sql.identifier('name')`: drizzle (and others) put the name in quoted. */
function identifierCall(expr: AstNode | undefined): string | undefined {
  const e = expr && unwrapTs(expr);
  if (e?.type !== 'CallExpression' || !/(?:^|\.)sql\.identifier$/.test(dottedName(e.callee) ?? '') || e.arguments.length !== 1) return undefined;
  const [arg] = e.arguments;
  return isStringLiteral(arg) ? arg.value : undefined;
}

/**
 * A hole that names a Drizzle column (`${inbox.senderEmail}`) is that column, as drizzle renders
 * it; one that names a table (`${inbox}`) is the table where the SQL expects a name (after FROM,
 * JOIN...); `${sql.identifier('x')}` is the quoted name. The usual chain stays behind it, should
 * the name not parse there.
 */
function namedHole(hole: HostHole, chain: FillChain, state: PieceState, exprOf: (hole: HostHole) => AstNode | undefined): Hole['name'] {
  if (chain[0] === 'text' || chain[0] === 'join') return undefined;
  const { dialect, resolve } = state.names;
  const expr = exprOf(hole);
  const ident = identifierCall(expr);
  if (ident !== undefined) return { text: quoteIdent(ident, dialect) };
  const ref = resolve?.(expr);
  if (!ref || (ref.column === undefined && chain[0] !== 'identifier')) return undefined;
  return { text: ref.column === undefined ? tableSql(ref.table, dialect) : columnSql(ref.table, ref.column, dialect), table: ref.table };
}

function unwrapTs(n: AstNode): AstNode {
  let e = n;
  while (e.type === 'TSAsExpression' || e.type === 'TSNonNullExpression' || e.type === 'TSSatisfiesExpression') e = e.expression;
  return e;
}

/** A space that stands between inlined text and its surroundings (maps to the hole's start, in no segment). */
function spacer(at: number): Piece {
  return { kind: 'text', cooked: { text: ' ', starts: [at], ends: [at] } };
}

/**
 * The pieces of a literal: text, and holes with their fill chains; with `expand`, holes whose
 * expression is SQL text (a nested sql tag, a conditional between templates) are inlined with
 * their own holes, so the statement around them is read as the code builds it.
 */
export function piecesOf(lit: LitLike, code: string, state: PieceState, expand: boolean, parameterized: boolean, depth: number, exprOf: (hole: HostHole) => AstNode | undefined, out: Piece[]): void {
  lit.parts.forEach((part, i) => {
    const cooked = cook(code, part.start, part.end, true);
    out.push({ kind: 'text', cooked });
    state.before += cooked.text;
    const hole = lit.holes[i];
    if (!hole) return;
    const next = lit.parts[i + 1];
    const after = next ? code.slice(next.start, next.end) : '';
    const lex = state.scanner.stateOf(state.before).state;
    if (!hole.join && expand && depth < MAX_DEPTH && lex === 'code' && !/[\w$.]/.test(state.before.at(-1) ?? '') && !/^[\w.]/.test(after)) {
      const exp = expansionOf(exprOf(hole), parameterized, code);
      const inner = exp && literalSite(exp.node, code);
      if (exp && inner) {
        state.expanded++;
        out.push(spacer(hole.start));
        state.before += ' ';
        piecesOf(inner, code, state, expand, exp.parameterized, depth + 1, exprOf, out);
        out.push(spacer(hole.start));
        state.before += ' ';
        return;
      }
    }
    const chain: FillChain = hole.join ? ['join'] : chainFor(state.before, after, lex);
    const name = /[\w$.]$/.test(state.before) || /^[\w.]/.test(after) ? undefined : namedHole(hole, chain, state, exprOf);
    out.push({ kind: 'hole', hole: { host: { start: hole.start, end: hole.end }, origin: 'template', chain: name ? ['name', ...chain] : chain, ...(name ? { name } : {}) } });
    if (!hole.join) state.before += ' ';
  });
}

/** The expression of a hole: of a nested literal (by its `${`), of the site's own literal, or of a site built from several literals. */
export function holeExprFinder(site: SqlSite): (hole: HostHole) => AstNode | undefined {
  return (hole) => {
    const known = HOLE_EXPRS.get(hole);
    if (known) return known;
    if (!site.node) return undefined;
    const expr = (site.node.type === 'TemplateLiteral' ? templateHoleExprs(site.node).get(hole.start) : undefined) ?? holeExpression(site, hole);
    // several operands in one hole are no one expression to inline
    return expr?.type === 'SequenceOfOperands' ? undefined : expr;
  };
}
