/**
 * Text-template placeholders: query files a program edits as text before it prepares them (Go's
 * `strings.ReplaceAll(q, "%where%", ...)`, printf's `%s`). They are not SQL, so a statement that
 * holds one and does not parse is read with each placeholder as a name of the same length (which
 * the model builders take for a value, as for `${name}`), and skipped as templated when even that
 * does not parse (`WITH x AS (%query%)`): the program, not the file, completes the statement.
 * Only tried after a parse failure: `a%b%c` is valid SQL (modulo) and is left alone.
 */
import type { Range } from '../range.js';
import type { Token } from './lexer.js';
import type { Rewrite } from './normalize.js';

/** printf verbs a program fills in (`%s`, `%d`, `%v`...). */
const VERB = /^[sdviqfg]$/;

const adjacent = (a: Token | undefined, b: Token | undefined) => !!a && !!b && a.end === b.start;
const isPercent = (t: Token | undefined) => t?.type === 'op' && t.value === '%';

/**
 * The placeholders among a statement's tokens: `%name%` written together, or a printf verb `%s`
 * not followed by a name character. `sql` is the statement's text, from offset `from`.
 */
export function textTemplateHoles(tokens: readonly Token[], sql: string, from: number): Range[] {
  const out: Range[] = [];
  // asked of every statement a parser rejects, and most hold no `%`: no code-token list made for them
  if (!tokens.some(isPercent)) return out;
  const code = tokens.filter((t) => t.type !== 'comment');
  for (let i = 0; i < code.length; i++) {
    const pct = code[i];
    if (!isPercent(pct)) continue;
    const name = code[i + 1];
    const close = code[i + 2];
    if (name?.type !== 'ident' || !adjacent(pct, name)) continue;
    if (isPercent(close) && adjacent(name, close) && /^[A-Za-z_][\w.]*$/.test(name.value)) {
      out.push({ start: pct!.start, end: close!.end });
      i += 2;
    } else if (VERB.test(name.value) && !/[\w$]/.test(sql[name.end - from] ?? '')) {
      out.push({ start: pct!.start, end: name.end });
      i += 1;
    }
  }
  return out;
}

/** The statement text with each placeholder as a name of its length (`%where%` → `_where_`, `%s` → `_s`) and the rewrites that record them. */
export function fillTextTemplate(sql: string, from: number, holes: readonly Range[]): { sql: string; rewrites: Rewrite[] } {
  let out = sql;
  const rewrites: Rewrite[] = [];
  for (const h of holes) {
    const original = sql.slice(h.start - from, h.end - from);
    const name = `_${original.slice(1).replace(/[^\w]/g, '_')}`.padEnd(original.length, '_').slice(0, original.length);
    out = out.slice(0, h.start - from) + name + out.slice(h.end - from);
    rewrites.push({ start: h.start, end: h.end, kind: 'identifier', text: original });
  }
  return { sql: out, rewrites };
}
