// docs/rules/<id>.md is generated from the rule metadata (scripts/rule-docs.ts, `npm run docs`) and
// must not drift from it; every link that points at it (ESLint's meta.docs.url, SARIF's help)
// resolves to a file in this repository.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import plugin from '../eslint-plugin/index.js';
import { allRuleInfo, SECURITY_SEVERITY } from '../src/cli/rule-meta.js';
import { repositoryUrl, RULE_DOCS_DIR, ruleDocsPath, ruleDocsUrl } from '../src/docs-url.js';
import { recommendedReason, renderRuleDoc, renderRuleDocs } from '../scripts/rule-docs.js';

const root = join(import.meta.dirname, '..');
const sourceOf = (id: string) => (existsSync(join(root, 'rules', `${id}.ts`)) ? readFileSync(join(root, 'rules', `${id}.ts`), 'utf8') : undefined);

/** A docs link as a path in the repository: relative as it is, or absolute under the repository's URL. */
function inRepository(url: string): string {
  const repo = repositoryUrl();
  if (repo && url.startsWith(`${repo}/blob/HEAD/`)) return url.slice(`${repo}/blob/HEAD/`.length);
  expect(url, 'a docs link is a repository path when package.json has no repository URL').not.toMatch(/^[a-z]+:/);
  return url;
}

describe('docs/rules', () => {
  it('every page matches the rule metadata (run `npm run docs` to regenerate)', () => {
    const pages = renderRuleDocs(allRuleInfo(), sourceOf);
    for (const [rel, text] of pages) expect(existsSync(join(root, rel)) ? readFileSync(join(root, rel), 'utf8') : `(missing ${rel})`, rel).toBe(text);
    const onDisk = readdirSync(join(root, RULE_DOCS_DIR)).filter((n) => n.endsWith('.md')).map((n) => `${RULE_DOCS_DIR}/${n}`);
    expect(onDisk.sort()).toEqual([...pages.keys()].sort());
  });

  it("a page says what the rule finds, why, its examples, options, contexts, severity and whether it is recommended, with the rule file's reason", () => {
    const info = allRuleInfo().find((r) => r.id === 'no-select-star')!;
    const page = renderRuleDoc(info, sourceOf('no-select-star'));
    for (const heading of ['# no-select-star', '## What it finds', '## Why it is slow', '## Examples', '## Options', '## Where it runs', '## Recommended']) expect(page).toContain(`\n${heading}\n`);
    expect(page).toContain('| performance | warn | no | app |');
    expect(page).toContain('```sql\n' + info.docs.bad + '\n```');
    expect(page).toContain('```sql\n' + info.docs.good + '\n```');
    expect(page).toContain(`From the rule's file: ${recommendedReason(sourceOf('no-select-star'))}`);
    expect(recommendedReason('  // a\n  // b\n  recommended: false,\n')).toBe('a b.');
    expect(recommendedReason('  recommended: true,\n')).toBeUndefined();
  });
});

describe('links to the rule docs resolve to a file in the repository', () => {
  it('ESLint meta.docs.url of every plugin rule', () => {
    for (const [id, rule] of Object.entries(plugin.rules)) {
      const url = (rule.meta.docs as { url?: string }).url;
      expect(url, id).toBe(ruleDocsUrl(id));
      expect(existsSync(join(root, inRepository(url!))), `${id}: ${url}`).toBe(true);
    }
  });

  it('every rule id that can appear in results has a page', () => {
    for (const r of allRuleInfo()) expect(existsSync(join(root, ruleDocsPath(r.id))), r.id).toBe(true);
  });

  it('repository URLs in package.json spellings become the repository web address', () => {
    expect(repositoryUrl('git+https://github.com/acme/sqlperf.git')).toBe('https://github.com/acme/sqlperf');
    expect(repositoryUrl({ url: 'https://gitlab.com/acme/sqlperf' })).toBe('https://gitlab.com/acme/sqlperf');
    expect(repositoryUrl('github:acme/sqlperf')).toBe('https://github.com/acme/sqlperf');
    expect(repositoryUrl('acme/sqlperf')).toBe('https://github.com/acme/sqlperf');
    expect(repositoryUrl(undefined)).toBeUndefined();
    expect(ruleDocsUrl('max-joins', 'https://github.com/acme/sqlperf')).toBe('https://github.com/acme/sqlperf/blob/HEAD/docs/rules/max-joins.md');
    expect(ruleDocsUrl('max-joins', undefined)).toBe('docs/rules/max-joins.md');
  });
});

it('every security rule has a security-severity for code scanning', () => {
  const security = allRuleInfo().filter((r) => r.category === 'security');
  expect(security.length).toBeGreaterThan(0);
  for (const r of security) {
    expect(SECURITY_SEVERITY[r.id], r.id).toMatch(/^\d+\.\d$/);
    expect(r.securitySeverity).toBe(SECURITY_SEVERITY[r.id]);
  }
});
