import path from 'node:path';
import type { Formatter } from '../types.js';
import { FILE_ERROR_ID } from '../types.js';
import { escapeControl } from './escape.js';
import { MAX_MESSAGE_CHARS } from './stylish.js';

// control characters (ESC sequences are rendered by the Actions log) become visible escapes first
const escapeData = (s: string) => escapeControl(s).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** GitHub Actions workflow commands: one `::error` / `::warning` annotation per problem. */
export const github: Formatter = (results, ctx) => {
  const lines: string[] = [];
  for (const r of results) {
    const file = path.isAbsolute(r.filePath) ? path.relative(ctx.cwd, r.filePath).split(path.sep).join('/') : r.filePath;
    for (const m of r.messages) {
      const props = [`file=${file}`, `line=${m.line}`, `col=${m.column}`, `endLine=${m.endLine}`, `endColumn=${m.endColumn}`, `title=sqlperf (${m.ruleId ?? FILE_ERROR_ID})`];
      lines.push(`::${m.severity === 2 ? 'error' : 'warning'} ${props.map(escapeProperty).join(',')}::${escapeData(m.message.length > MAX_MESSAGE_CHARS ? `${m.message.slice(0, MAX_MESSAGE_CHARS)}… (${m.message.length - MAX_MESSAGE_CHARS} more characters)` : m.message)}`);
    }
  }
  return lines.length ? lines.join('\n') + '\n' : '';
};
