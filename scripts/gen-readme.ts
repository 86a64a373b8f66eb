// Rewrites the rules table (from rule metadata) and the cost table (from src/cost.ts) in README.md: `npm run docs`.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rules } from '../rules/index.js';
import { renderRulesTable, replaceRulesTable } from './readme-rules.js';
import { replaceCostTable } from './readme-cost.js';

const path = join(import.meta.dirname, '..', '..', 'README.md');
const before = readFileSync(path, 'utf8');
const after = replaceCostTable(replaceRulesTable(before, renderRulesTable(rules)));
if (after !== before) writeFileSync(path, after);
console.log(after === before ? 'README.md rules and cost tables are up to date' : 'README.md rules and cost tables rewritten');
