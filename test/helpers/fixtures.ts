import { readFileSync } from 'node:fs';
import type { Dialect } from '../../src/dialect.js';

/**
 * Rule fixtures are SQL files with the expected findings marked under each line:
 *   SELECT * FROM users;
 *   --     ^ star
 * Header lines `-- dialects: a, b`, `-- options: {...}` and `-- schema: <folder under fixtures/schema>`
 * (a project whose migrations the schema rules read) may open the file.
 */
export interface Mark {
  line: number; // 1-based line of the SQL the carets point at
  column: number; // 1-based
  endColumn: number; // exclusive
  messageId: string;
}

export interface Fixture {
  text: string;
  dialects: Dialect[];
  options: Record<string, unknown> | undefined;
  schema: string | undefined;
  marks: Mark[];
}

const MARK = /^(\s*--)(\s*)(\^+)\s+([\w-]+)\s*$/;

export function readFixture(path: string): Fixture {
  const text = readFileSync(path, 'utf8');
  const lines = text.split(/\r?\n/);
  let dialects: Dialect[] = ['postgresql', 'mysql', 'sqlite'];
  let options: Record<string, unknown> | undefined;
  let schema: string | undefined;
  const marks: Mark[] = [];
  let target = 0;
  let inHeader = true;
  lines.forEach((l, i) => {
    // headers count only in the leading comment block, so a comment further down cannot change them
    inHeader &&= /^\s*(--.*)?$/.test(l);
    const d = inHeader && /^--\s*dialects:\s*(.+)$/.exec(l);
    if (d) dialects = d[1]!.split(',').map((s) => s.trim()) as Dialect[];
    const o = inHeader && /^--\s*options:\s*(\{.*\})\s*$/.exec(l);
    if (o) options = JSON.parse(o[1]!);
    const s = inHeader && /^--\s*schema:\s*(\S+)\s*$/.exec(l);
    if (s) schema = s[1];
    const m = MARK.exec(l);
    if (m) {
      const column = m[1]!.length + m[2]!.length + 1;
      marks.push({ line: target, column, endColumn: column + m[3]!.length, messageId: m[4]! });
    } else target = i + 1;
  });
  return { text, dialects, options, schema, marks };
}
