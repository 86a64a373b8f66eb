import path from 'node:path';
import pc from 'picocolors';
import type { Formatter } from '../types.js';
import { FILE_ERROR_ID } from '../types.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** ESLint's default look: problems grouped by file, aligned columns, a summary line. */
export const stylish: Formatter = (results, ctx) => {
  const c = pc.createColors(ctx.color);
  let out = '';
  let errors = 0;
  let warnings = 0;
  for (const r of results) {
    if (!r.messages.length) continue;
    errors += r.errorCount;
    warnings += r.warningCount;
    const rel = path.isAbsolute(r.filePath) ? path.relative(ctx.cwd, r.filePath) || r.filePath : r.filePath;
    const rows = r.messages.map((m) => [`${m.line}:${m.column}`, m.severity === 2 ? 'error' : 'warning', m.message.replace(/\s*\n\s*/g, ' '), m.ruleId ?? FILE_ERROR_ID] as const);
    const w = [0, 1, 2].map((i) => Math.max(...rows.map((row) => row[i]!.length)));
    out += `\n${c.underline(rel)}\n`;
    for (const [pos, sev, msg, id] of rows) {
      const sevText = sev === 'error' ? c.red(sev.padEnd(w[1]!)) : c.yellow(sev.padEnd(w[1]!));
      out += `  ${c.dim(pos.padEnd(w[0]!))}  ${sevText}  ${msg.padEnd(w[2]!)}  ${c.dim(id)}\n`;
    }
  }
  const total = errors + warnings;
  if (total > 0) {
    const summary = `\u2716 ${plural(total, 'problem')} (${plural(errors, 'error')}, ${plural(warnings, 'warning')})`;
    out += `\n${errors ? c.bold(c.red(summary)) : c.bold(c.yellow(summary))}\n`;
  }
  return out;
};
