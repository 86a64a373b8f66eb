/**
 * Where one SQL site runs, when its code says more than its file: a startup migration or a backfill
 * kept in application code (`static async migrateNewStatusPage()`, `runMigrations`,
 * `backfillSlugs`, `upgradeDatabase`) runs once, like a migration file, so the rules that judge
 * production queries do not apply to it (src/context.ts).
 */
import type { SqlContext } from '../context.js';
import type { SqlSite } from './detect.js';
import type { AstNode } from './estree.js';

/** Names of code that changes the schema or its data once: migrate*, *Migration*, backfill*, seed*, upgrade/patch + Db/Database/Schema. */
const ONE_OFF = /migrat|^(?:backfill|seed)|^(?:upgrade|patch)(?:db|database|schema)/i;

const nameOf = (n: AstNode | null | undefined): string | null => {
  if (!n) return null;
  if (n.type === 'Identifier') return n.name;
  if (n.type === 'PrivateIdentifier') return n.name;
  if (n.type === 'MemberExpression' && !n.computed) return nameOf(n.property);
  return null;
};

/** The name a function goes by: its own, or the variable, property, method or member it is assigned to. */
function functionName(fn: AstNode, parent: AstNode | null): string | null {
  if ((fn.type === 'FunctionDeclaration' || fn.type === 'FunctionExpression') && fn.id) return fn.id.name;
  if (!parent) return null;
  if (parent.type === 'VariableDeclarator') return nameOf(parent.id);
  if (parent.type === 'MethodDefinition' || parent.type === 'Property' || parent.type === 'PropertyDefinition') return parent.computed ? null : nameOf(parent.key);
  if (parent.type === 'AssignmentExpression') return nameOf(parent.left);
  return null;
}

/** The nearest named function around the site, if its name says it runs once; otherwise the file's context. */
export function siteContext(site: SqlSite, fileContext: SqlContext): SqlContext {
  if (fileContext !== 'app' || !site.node || !site.parentOf) return fileContext;
  for (let n: AstNode | null = site.parentOf(site.node); n; n = site.parentOf(n)) {
    if (n.type !== 'FunctionDeclaration' && n.type !== 'FunctionExpression' && n.type !== 'ArrowFunctionExpression') continue;
    const name = functionName(n, site.parentOf(n));
    if (name) return ONE_OFF.test(name) ? 'migration' : fileContext;
  }
  return fileContext;
}
