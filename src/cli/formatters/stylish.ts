import path from 'node:path';
import pc from 'picocolors';
import type { Formatter } from '../types.js';
import { FILE_ERROR_ID } from '../types.js';
import { escapeControl, escapeLine } from './escape.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A message longer than this is cut in human-readable output (JSON and SARIF keep it whole). */
export const MAX_MESSAGE_CHARS = 2000;
/** Messages are padded for alignment up to this width. */
const MAX_ALIGN = 120;

/** One line of text for a terminal: newlines collapsed, control characters escaped, length bounded. */
export function displayMessage(message: string): string {
  let m = message.replace(/\s*[\r\n\u2028\u2029]\s*/g, ' ');
  if (m.length > MAX_MESSAGE_CHARS) m = `${m.slice(0, MAX_MESSAGE_CHARS)}… (${m.length - MAX_MESSAGE_CHARS} more characters)`;
  return escapeControl(m);
}

/** Output width when stdout is not a terminal (pre-commit, CI logs, -o file). */
export const DEFAULT_WIDTH = 100;

/**
 * ESLint's default look: problems grouped by file, aligned columns, a summary line. A row wider
 * than the terminal (`ctx.width`) puts its message on its own indented line below position,
 * severity and rule id, whole: messages are never cut to fit (up to MAX_MESSAGE_CHARS).
 */
export const stylish: Formatter = (results, ctx) => {
  const c = pc.createColors(ctx.color);
  const width = ctx.width ?? DEFAULT_WIDTH;
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
    const w = [0, 0, 0, 0];
    for (const row of rows) for (let i = 0; i < 4; i++) if (row[i]!.length > w[i]!) w[i] = row[i]!.length;
    // the message column is as wide as the longest message that fits on a row with the others
    const room = width - (2 + w[0]! + 2 + w[1]! + 2 + 2 + w[3]!);
    // and not wider than MAX_ALIGN, so that one long message does not pad every other row
    let msgWidth = 0;
    for (const row of rows) if (row[2].length <= Math.min(room, MAX_ALIGN) && row[2].length > msgWidth) msgWidth = row[2].length;
    out.push(`\n${c.underline(rel)}\n`);
    for (const [pos, sev, msg, id] of rows) {
      const sevText = sev === 'error' ? c.red(sev.padEnd(w[1]!)) : c.yellow(sev.padEnd(w[1]!));
      if (msg.length <= room) out.push(`  ${c.dim(pos.padEnd(w[0]!))}  ${sevText}  ${msg.padEnd(msgWidth)}  ${c.dim(id)}\n`);
      else out.push(`  ${c.dim(pos.padEnd(w[0]!))}  ${sevText}  ${c.dim(id)}\n      ${msg}\n`);
    }
  }
  const total = errors + warnings;
  if (total > 0) {
    const summary = `\u2716 ${plural(total, 'problem')} (${plural(errors, 'error')}, ${plural(warnings, 'warning')})`;
    out.push(`\n${errors ? c.bold(c.red(summary)) : c.bold(c.yellow(summary))}\n`);
  }
  return out.join('');
};
