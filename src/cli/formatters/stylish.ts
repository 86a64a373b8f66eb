import path from 'node:path';
import pc from 'picocolors';
import type { Formatter } from '../types.js';
import { FILE_ERROR_ID } from '../types.js';
import { escapeControl, escapeLine } from './escape.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A message longer than this is cut in human-readable output (JSON and SARIF keep it whole). */
export const MAX_MESSAGE_CHARS = 2000;
/** Columns are aligned up to this width, so one long message does not pad every other row. */
const MAX_ALIGN = 120;

/** One line of text for a terminal: newlines collapsed, control characters escaped, length bounded. */
export function displayMessage(message: string): string {
  let m = message.replace(/\s*[\r\n\u2028\u2029]\s*/g, ' ');
  if (m.length > MAX_MESSAGE_CHARS) m = `${m.slice(0, MAX_MESSAGE_CHARS)}… (${m.length - MAX_MESSAGE_CHARS} more characters)`;
  return escapeControl(m);
}

/** ESLint's default look: problems grouped by file, aligned columns, a summary line. */
export const stylish: Formatter = (results, ctx) => {
  const c = pc.createColors(ctx.color);
  const out: string[] = [];
  let errors = 0;
  let warnings = 0;
  for (const r of results) {
    if (!r.messages.length) continue;
    errors += r.errorCount;
    warnings += r.warningCount;
    const rel = escapeLine(path.isAbsolute(r.filePath) ? path.relative(ctx.cwd, r.filePath) || r.filePath : r.filePath);
    const rows = r.messages.map((m) => [`${m.line}:${m.column}`, m.severity === 2 ? 'error' : 'warning', displayMessage(m.message), escapeLine(m.ruleId ?? FILE_ERROR_ID)] as const);
    // a loop, not Math.max(...rows): a spread of 125k+ arguments overflows the stack
    const w = [0, 0, 0];
    for (const row of rows) for (let i = 0; i < 3; i++) if (row[i]!.length > w[i]!) w[i] = Math.min(row[i]!.length, MAX_ALIGN);
    out.push(`\n${c.underline(rel)}\n`);
    for (const [pos, sev, msg, id] of rows) {
      const sevText = sev === 'error' ? c.red(sev.padEnd(w[1]!)) : c.yellow(sev.padEnd(w[1]!));
      out.push(`  ${c.dim(pos.padEnd(w[0]!))}  ${sevText}  ${msg.padEnd(w[2]!)}  ${c.dim(id)}\n`);
    }
  }
  const total = errors + warnings;
  if (total > 0) {
    const summary = `\u2716 ${plural(total, 'problem')} (${plural(errors, 'error')}, ${plural(warnings, 'warning')})`;
    out.push(`\n${errors ? c.bold(c.red(summary)) : c.bold(c.yellow(summary))}\n`);
  }
  return out.join('');
};
