import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { allRuleInfo, type RuleInfo } from '../rule-meta.js';
import type { Formatter, LintResult } from '../types.js';
import { FILE_ERROR_ID } from '../types.js';
import { version } from '../../version.js';
import { repositoryUrl, ruleDocsPath, ruleDocsUrl } from '../../docs-url.js';
import { lineStarts } from '../../range.js';
import { escapeJsonText } from './escape.js';

function help(r: RuleInfo, repository: string | undefined): { text: string; markdown: string } {
  const d = r.docs;
  const lang = (d as { language?: string }).language === 'host' ? 'ts' : 'sql';
  // without a repository URL (package.json has none) the page is named by its path in sqlperf's repository
  const more = repository ? ruleDocsUrl(r.id, repository) : `${ruleDocsPath(r.id)} in the sqlperf repository`;
  const text = [r.description + '.', '', d.why, ...(d.bad ? ['', 'Bad:', d.bad] : []), ...(d.good ? ['', 'Good:', d.good] : []), '', `More: ${more}`].join('\n');
  const markdown = [`**${r.description}.**`, '', d.why, ...(d.bad ? ['', 'Bad:', '```' + lang, d.bad, '```'] : []), ...(d.good ? ['', 'Good:', '```' + lang, d.good, '```'] : []), '', repository ? `[More](${more})` : `More: \`${more}\``].join('\n');
  return { text, markdown };
}

/**
 * `partialFingerprints` per message, stable when lines move: a hash of the rule, the file, the
 * flagged source text and the message (whitespace collapsed), with the occurrence number of that
 * hash in the file (as GitHub's own `primaryLocationLineHash` counts repeats). Never the line.
 */
function fingerprints(r: LintResult, uri: string): string[] {
  let text = '';
  try {
    text = path.isAbsolute(r.filePath) ? readFileSync(r.filePath, 'utf8') : '';
  } catch {
    // unreadable now: the rule, file and message still identify the finding
  }
  const starts = lineStarts(text);
  const offset = (line: number, column: number) => (starts[line - 1] ?? text.length) + column - 1;
  const seen = new Map<string, number>();
  const squash = (s: string) => s.replace(/\s+/g, ' ').trim();
  return r.messages.map((m) => {
    const snippet = text ? squash(text.slice(offset(m.line, m.column), offset(m.endLine, m.endColumn))) : '';
    const hash = createHash('sha256').update([m.ruleId ?? FILE_ERROR_ID, uri, snippet, squash(m.message)].join('\0')).digest('hex').slice(0, 32);
    const n = (seen.get(hash) ?? 0) + 1;
    seen.set(hash, n);
    return `${hash}:${n}`;
  });
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
  const repository = repositoryUrl();
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const sarifResults = results.flatMap((r) => {
    const artifactLocation = uriFor(r.filePath, ctx.cwd);
    const prints = fingerprints(r, artifactLocation.uri);
    return r.messages.map((m, i) => {
      const ruleId = m.ruleId ?? FILE_ERROR_ID;
      const region = { startLine: m.line, startColumn: m.column, endLine: m.endLine, endColumn: m.endColumn };
      return {
        ruleId,
        ...(index.has(ruleId) ? { ruleIndex: index.get(ruleId)! } : {}),
        level: m.severity === 2 ? 'error' : 'warning',
        message: { text: m.message },
        locations: [{ physicalLocation: { artifactLocation, region } }],
        partialFingerprints: { 'sqlperfFindingHash/v1': prints[i]! },
      };
    });
  });
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'sqlperf',
            version: version(),
            // helpUri/informationUri must be absolute: given only when package.json names the repository
            ...(repository ? { informationUri: repository } : {}),
            rules: rules.map((r) => ({
              id: r.id,
              name: r.id.replace(/(^|-)(\w)/g, (_, _d: string, ch: string) => ch.toUpperCase()),
              shortDescription: { text: r.description },
              fullDescription: { text: r.docs.why },
              ...(repository ? { helpUri: ruleDocsUrl(r.id, repository) } : {}),
              help: help(r, repository),
              defaultConfiguration: { level: r.severity === 'error' ? 'error' : 'warning', enabled: r.recommended },
              properties: { category: r.category, tags: [r.category], ...(r.builtin ? {} : { recommended: r.recommended }), ...(r.securitySeverity ? { 'security-severity': r.securitySeverity } : {}) },
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
