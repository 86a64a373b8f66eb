import { WEAK_CALLEES } from './detect.js';

/**
 * What the embed layer accepts from a literal found by its position alone, or as the argument of a
 * generic callee (`get`, `all`, `run`...): a clear statement (SELECT ... FROM, INSERT INTO,
 * UPDATE ... SET, DELETE FROM, WITH x AS (). Plain English in UI strings ("Delete", "Create a
 * project", "Select a plan") does not look like this, and most files of a project hold such strings.
 */
// leading comments are bounded (400 characters): unbounded, `'/*` with no `*/` after it made every
// quote scan to the end of the file (100k lines of `app.get('/*', h)` took 58 s)
const STATEMENT_LITERAL = new RegExp(
  String.raw`[\x60'"]\s*(?:\(\s*)*(?:(?:--[^\n]{0,400}\n|/\*[\s\S]{0,400}?\*/)\s*)*` +
    String.raw`(?:select\s[\s\S]{0,4000}?\bfrom\b|select\s+(?:\$\{|[\w$]+[._][\w.$]*\s*\(|now\s*\(|\d|\$\d)|insert\s+(?:or\s+\w+\s+|ignore\s+)?into\s|(?:replace|merge)\s+into\s|update\s[\s\S]{0,400}?\bset\b|delete\s+from\s|values\s*\(|table\s+[\w.]+\s*[\x60'"]|with\s[\s\S]{0,400}?\bas\s*(?:(?:not\s+)?materialized\s*)?\()`,
  'i',
);
/** A `/* sql *\/` comment, which marks the literal after it. */
const SQL_COMMENT = /\/\*\s*sql\s*\*\//i;
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const lastName = (n: string) => escapeRe(n.slice(n.lastIndexOf('.') + 1));
const nameCache = new Map<string, RegExp>();

/**
 * Cheap test that a JS/TS file may hold SQL at all (most files of a project do not), so that the
 * JS/TS parser runs only where it can find something: a literal that clearly is a statement, a
 * SQL tag before a backtick, a `/* sql *\/` comment, or a query function called with a literal.
 * Statements in any call's arguments (found by shape) start with one of STATEMENT_LITERAL's forms.
 * It must accept every file in which the embed layer finds a site (test/cli-units checks this).
 */
export function mayHoldSql(code: string, tags: readonly string[], callees: readonly string[]): boolean {
  if (STATEMENT_LITERAL.test(code) || SQL_COMMENT.test(code)) return true;
  const key = `${tags.join(',')}|${callees.join(',')}`;
  let re = nameCache.get(key);
  if (!re) {
    // weak callees need a clear statement, which STATEMENT_LITERAL has already looked for
    const strong = callees.filter((c) => !WEAK_CALLEES.has(c.slice(c.lastIndexOf('.') + 1)));
    const tagRe = tags.length ? `(?:${tags.map(lastName).join('|')})\\s*(?:<[^\x60]{0,300}?>)?\\s*\x60` : '(?!)';
    const calleeRe = strong.length ? `(?:${strong.map(lastName).join('|')})\\s*(?:<[^\x60'"]{0,300}?>)?\\s*\\(\\s*[\x60'"]` : '(?!)';
    re = new RegExp(`${tagRe}|${calleeRe}`);
    nameCache.set(key, re);
  }
  return re.test(code);
}
