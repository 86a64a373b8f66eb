// Writes docs/rules/<id>.md from the rule metadata and removes pages of ids that no longer exist: `npm run docs`.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { allRuleInfo } from '../src/cli/rule-meta.js';
import { RULE_DOCS_DIR } from '../src/docs-url.js';
import { renderRuleDocs } from './rule-docs.js';

// dist/scripts/ -> the repository root
const root = join(import.meta.dirname, '..', '..');
const sourceOf = (id: string) => {
  const file = join(root, 'rules', `${id}.ts`);
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
};
const pages = renderRuleDocs(allRuleInfo(), sourceOf);
mkdirSync(join(root, RULE_DOCS_DIR), { recursive: true });
let changed = 0;
for (const [rel, text] of pages) {
  const file = join(root, rel);
  if (existsSync(file) && readFileSync(file, 'utf8') === text) continue;
  writeFileSync(file, text);
  changed++;
}
for (const name of readdirSync(join(root, RULE_DOCS_DIR))) {
  if (name.endsWith('.md') && !pages.has(`${RULE_DOCS_DIR}/${name}`)) {
    rmSync(join(root, RULE_DOCS_DIR, name));
    changed++;
  }
}
console.log(changed ? `${RULE_DOCS_DIR}: ${changed} page(s) written or removed` : `${RULE_DOCS_DIR} is up to date`);
