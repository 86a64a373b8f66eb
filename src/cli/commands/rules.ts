import pc from 'picocolors';
import { unknownRuleMessage } from '../../config/rules-config.js';
import { UsageError } from '../errors.js';
import { emit, useColor } from '../output.js';
import { allRuleInfo } from '../rule-meta.js';

export async function rulesCommand(flags: { format: string; color?: boolean }): Promise<number> {
  if (flags.format !== 'text' && flags.format !== 'json') throw new UsageError(`unknown format "${flags.format}"; use text or json`);
  const all = allRuleInfo();
  if (flags.format === 'json') {
    await emit(JSON.stringify(all.map((r) => ({ id: r.id, category: r.category, severity: r.severity, recommended: r.recommended, contexts: r.contexts, description: r.description, builtin: Boolean(r.builtin) })), null, 2) + '\n', undefined, process.cwd());
    return 0;
  }
  const c = pc.createColors(useColor(process.stdout, flags.color, false));
  const where = (r: (typeof all)[number]) => (r.contexts.length === 4 ? 'everywhere' : r.contexts.join(','));
  const rows = [['Rule', 'Category', 'Default', 'Recommended', 'Runs in', 'Description'], ...all.map((r) => [r.id, r.category, r.severity, r.recommended ? 'yes' : 'no', where(r), r.description])];
  const w = [0, 1, 2, 3, 4].map((i) => Math.max(...rows.map((row) => row[i]!.length)));
  const line = (row: string[]) => row.map((cell, i) => (i < 5 ? cell.padEnd(w[i]!) : cell)).join('  ');
  const out = [c.bold(line(rows[0]!)), ...rows.slice(1).map(line), '', c.dim('sqlperf explain <rule> prints what a rule finds, why, and examples.')];
  await emit(out.join('\n') + '\n', undefined, process.cwd());
  return 0;
}

const indent = (s: string, by = '    ') => s.split('\n').map((l) => by + l).join('\n');

export async function explainCommand(id: string, flags: { color?: boolean }): Promise<number> {
  const all = allRuleInfo();
  const r = all.find((x) => x.id === id || `sqlperf/${x.id}` === id);
  if (!r) throw new UsageError(unknownRuleMessage(id, all.map((x) => x.id)));
  const c = pc.createColors(useColor(process.stdout, flags.color, false));
  const out = [
    `${c.bold(r.id)}  ${c.dim(`(${r.category}, ${r.severity} by default, ${r.recommended ? 'recommended' : 'not recommended'}, runs in ${r.contexts.length === 4 ? 'every context' : r.contexts.join(', ')})`)}`,
    '',
    c.bold('What it does'),
    indent(r.description + '.'),
    '',
    c.bold('Why is this bad?'),
    indent(r.docs.why),
  ];
  if (r.docs.bad) out.push('', c.bold('Bad'), indent(c.red(r.docs.bad)));
  if (r.docs.good) out.push('', c.bold('Good'), indent(c.green(r.docs.good)));
  if (r.options && Object.keys(r.options).length) {
    out.push('', c.bold('Options'));
    for (const [k, o] of Object.entries(r.options)) out.push(`    ${k} (${o.type}${r.defaultOptions && k in r.defaultOptions ? `, default ${JSON.stringify(r.defaultOptions[k])}` : ''})${o.description ? `: ${o.description}` : ''}`);
  }
  if (!r.builtin || r.id === 'parse-error') out.push('', c.bold('Configure'), indent(`"rules": { "${r.id}": "${r.recommended ? 'off' : r.severity}" }    or    --rule ${r.id}:${r.recommended ? 'off' : r.severity}`));
  await emit(out.join('\n') + '\n', undefined, process.cwd());
  return 0;
}
