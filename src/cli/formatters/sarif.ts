import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { allRuleInfo, type RuleInfo } from '../rule-meta.js';
import type { Formatter } from '../types.js';
import { FILE_ERROR_ID } from '../types.js';
import { version } from '../../version.js';
import { escapeJsonText } from './escape.js';

function help(r: RuleInfo): { text: string; markdown: string } {
  const d = r.docs;
  const text = [r.description + '.', '', d.why, ...(d.bad ? ['', 'Bad:', d.bad] : []), ...(d.good ? ['', 'Good:', d.good] : [])].join('\n');
  const markdown = [`**${r.description}.**`, '', d.why, ...(d.bad ? ['', 'Bad:', '```sql', d.bad, '```'] : []), ...(d.good ? ['', 'Good:', '```sql', d.good, '```'] : [])].join('\n');
  return { text, markdown };
}

function uriFor(filePath: string, cwd: string): { uri: string; uriBaseId?: string } {
  if (!path.isAbsolute(filePath)) return { uri: encodeURI(filePath.split(path.sep).join('/')) };
  const rel = path.relative(cwd, filePath);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return { uri: pathToFileURL(filePath).href };
  return { uri: encodeURI(rel.split(path.sep).join('/')), uriBaseId: '%SRCROOT%' };
}

/** SARIF 2.1.0 for GitHub code scanning: every rule with its help text, every problem with its region. */
export const sarif: Formatter = (results, ctx) => {
  const rules = allRuleInfo();
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const sarifResults = results.flatMap((r) =>
    r.messages.map((m) => {
      const ruleId = m.ruleId ?? FILE_ERROR_ID;
      const region = { startLine: m.line, startColumn: m.column, endLine: m.endLine, endColumn: m.endColumn };
      return {
        ruleId,
        ...(index.has(ruleId) ? { ruleIndex: index.get(ruleId)! } : {}),
        level: m.severity === 2 ? 'error' : 'warning',
        message: { text: m.message },
        locations: [{ physicalLocation: { artifactLocation: uriFor(r.filePath, ctx.cwd), region } }],
      };
    }),
  );
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'sqlperf',
            version: version(),
            rules: rules.map((r) => ({
              id: r.id,
              name: r.id.replace(/(^|-)(\w)/g, (_, _d: string, ch: string) => ch.toUpperCase()),
              shortDescription: { text: r.description },
              fullDescription: { text: r.docs.why },
              help: help(r),
              defaultConfiguration: { level: r.severity === 'error' ? 'error' : 'warning', enabled: r.recommended },
              properties: { category: r.category, tags: [r.category], ...(r.builtin ? {} : { recommended: r.recommended }) },
            })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(ctx.cwd + path.sep).href } },
        columnKind: 'utf16CodeUnits',
        results: sarifResults,
      },
    ],
  };
  return escapeJsonText(JSON.stringify(log, null, 2)) + '\n';
};
