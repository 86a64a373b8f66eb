// Rewrites the rules table in README.md from rule metadata: `npm run docs`.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rules } from '../rules/index.js';
import { renderRulesTable, replaceRulesTable } from './readme-rules.js';

const path = join(import.meta.dirname, '..', '..', 'README.md');
const before = readFileSync(path, 'utf8');
const after = replaceRulesTable(before, renderRulesTable(rules));
if (after !== before) writeFileSync(path, after);
console.log(after === before ? 'README.md rules table is up to date' : 'README.md rules table rewritten');
