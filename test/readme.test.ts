import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rules } from '../rules/index.js';
import { BEGIN, END, renderRulesTable } from '../scripts/readme-rules.js';
import { DEFAULT_CALLEES, DEFAULT_TAGS } from '../src/embed/detect.js';

describe('README', () => {
  it('rules table matches the rule metadata (run `npm run docs` to regenerate)', () => {
    const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf(BEGIN), readme.indexOf(END) + END.length);
    expect(table).toBe(renderRulesTable(rules));
  });
  it('lists the built-in tags and callees that user lists are added to', () => {
    const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
    expect(readme).toContain(`Built-in tags:\n  ${DEFAULT_TAGS.map((t) => `\`${t}\``).join(', ')}.`);
    expect(readme).toContain(`Built-in callees: ${DEFAULT_CALLEES.map((t) => `\`${t}\``).join(', ')}.`);
  });
  it('every rule is exported in id order and has a unique id matching its file', () => {
    const names = rules.map((r) => r.name);
    expect(names).toEqual([...names].sort());
    expect(new Set(names).size).toBe(names.length);
    for (const r of rules) {
      expect(readFileSync(join(import.meta.dirname, '..', 'rules', `${r.name}.ts`), 'utf8')).toContain(`name: '${r.name}'`);
      expect(r.docs.why.length).toBeGreaterThan(40);
      for (const id of Object.keys(r.messages)) expect(r.messages[id]!.length).toBeGreaterThan(10);
    }
  });
});
