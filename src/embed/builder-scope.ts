/**
 * Whether a query builder's LIKE runs inside one parent: the same query also filters by equality on
 * a key column, so the index access goes through the key and the pattern only filters the rows it
 * finds. The SQL side applies the same condition to a WHERE it can read (`keyEqualityOn`); without a
 * schema, a key is a column named like one (`isKeyName`).
 */
import { isKeyName } from '../model/relations.js';
import { memberName, type AstNode, type TSESTree } from './estree.js';
import { unwrap } from './host-code.js';
import { stringValue, type BuilderLike } from './hole-values.js';

type Parent = (n: AstNode) => AstNode | null;

/** knex / Kysely `.where(...)` and `.andWhere(...)`: a condition every row must meet (not `orWhere`, not `whereNot`). */
const AND_WHERE = /^(?:and)?[Ww]here$/;

export function builderScoped(b: BuilderLike, parent: Parent): boolean {
  if (b.call.type === 'Property') return sequelizeScoped(b.call, parent);
  const callee = unwrap(b.call.callee);
  if (callee.type === 'MemberExpression') return chainScoped(b, callee, parent);
  return drizzleScoped(b, parent);
}

/** The last segment of a column name the builder takes as a string (`labels.workspace_id` → `workspace_id`). */
function columnName(n: AstNode | undefined): { qualifier: string; name: string } | undefined {
  return splitName(n && stringValue(n));
}

function splitName(s: string | undefined): { qualifier: string; name: string } | undefined {
  if (!s) return undefined;
  const dot = s.lastIndexOf('.');
  return { qualifier: dot < 0 ? '' : s.slice(0, dot), name: s.slice(dot + 1) };
}

/** Every call of the method chain the builder call belongs to (`db.selectFrom(t).where(..).where(..).limit(..)`). */
function chainCalls(call: TSESTree.CallExpression, parent: Parent): TSESTree.CallExpression[] {
  const out = [call];
  for (let c = call; ;) {
    const callee = unwrap(c.callee);
    const obj = callee.type === 'MemberExpression' ? unwrap(callee.object) : undefined;
    if (obj?.type !== 'CallExpression') break;
    out.push(obj);
    c = obj;
  }
  for (let c: AstNode = call; ;) {
    const m = parent(c);
    const next: AstNode | null = m?.type === 'MemberExpression' && m.object === c ? parent(m) : null;
    if (next?.type !== 'CallExpression' || next.callee !== m) break;
    out.push(next);
    c = next;
  }
  return out;
}

/** The key equalities of one `.where(...)` call: `(col, '=', v)`, knex's `(col, v)`, `({ col: v })`. */
function whereEqualities(call: TSESTree.CallExpression): { qualifier: string; name: string }[] {
  const [first, second, third] = call.arguments;
  if (third && stringValue(second)?.trim() === '=') return [columnName(first)].filter((c) => c !== undefined);
  if (second && !third) {
    const v = unwrap(second);
    return v.type === 'ArrowFunctionExpression' || v.type === 'FunctionExpression' ? [] : [columnName(first)].filter((c) => c !== undefined);
  }
  const obj = first && !second ? unwrap(first) : undefined;
  if (obj?.type !== 'ObjectExpression') return [];
  return obj.properties.flatMap((p) => (p.type === 'Property' ? [splitName(plainKey(p))] : [])).filter((c) => c !== undefined);
}

/** The name of a `{ col: value }` property whose value is a plain value (not `{ [Op.like]: v }`). */
function plainKey(p: TSESTree.Property): string | undefined {
  if (p.computed || unwrap(p.value).type === 'ObjectExpression') return undefined;
  return p.key.type === 'Identifier' ? p.key.name : stringValue(p.key);
}

function chainScoped(b: BuilderLike, callee: TSESTree.MemberExpression, parent: Parent): boolean {
  // an `orWhere...` search is an alternative to the rest of the WHERE, not filtered by it
  if (/^or/.test(memberName(callee) ?? '')) return false;
  const like = columnName(b.column);
  if (!like || b.call.type !== 'CallExpression') return false;
  const calls = chainCalls(b.call, parent);
  // in a join, only a key of the same (named) relation scopes the search
  const joined = calls.some((c) => { const m = unwrap(c.callee); return m.type === 'MemberExpression' && /join/i.test(memberName(m) ?? ''); });
  return calls.some((c) => {
    if (c === b.call) return false;
    const m = unwrap(c.callee);
    if (m.type !== 'MemberExpression' || !AND_WHERE.test(memberName(m) ?? '')) return false;
    return whereEqualities(c).some((k) => isKeyName(k.name) && k.name !== like.name && (!joined || (k.qualifier !== '' && k.qualifier === like.qualifier)));
  });
}

/** drizzle `and(eq(t.workspaceId, ws), like(t.name, q))`, also nested `and(...)`s. */
function drizzleScoped(b: BuilderLike, parent: Parent): boolean {
  const like = unwrap(b.column);
  if (like.type !== 'MemberExpression') return false;
  const table = objectText(like);
  for (let n: AstNode = b.call, p = parent(n); p?.type === 'CallExpression' && isCallTo(p, 'and') && p.arguments.some((a) => unwrap(a) === n); n = p, p = parent(n)) {
    const found = p.arguments.some((a) => {
      const e = unwrap(a);
      if (e === b.call || e.type !== 'CallExpression' || !isCallTo(e, 'eq')) return false;
      const col = e.arguments[0] && unwrap(e.arguments[0]);
      return col?.type === 'MemberExpression' && objectText(col) === table && isKeyName(memberName(col) ?? '') && memberName(col) !== memberName(like);
    });
    if (found) return true;
  }
  return false;
}

function isCallTo(call: TSESTree.CallExpression, name: string): boolean {
  const c = unwrap(call.callee);
  return c.type === 'Identifier' && c.name === name;
}

/** `labels` of `labels.name`; '' for anything but a plain name path. */
function objectText(m: TSESTree.MemberExpression): string {
  const o = unwrap(m.object);
  if (o.type === 'Identifier') return o.name;
  return o.type === 'MemberExpression' ? `${objectText(o)}.${memberName(o) ?? ''}` : '';
}

/** Sequelize `{ workspaceId: ws, name: { [Op.like]: q } }`: a key property beside the searched one. */
function sequelizeScoped(op: TSESTree.Property, parent: Parent): boolean {
  const inner = parent(op);
  const searched = inner && parent(inner);
  const where = searched && parent(searched);
  if (searched?.type !== 'Property' || where?.type !== 'ObjectExpression') return false;
  return where.properties.some((p) => p !== searched && p.type === 'Property' && isKeyName(splitName(plainKey(p))?.name ?? ''));
}
