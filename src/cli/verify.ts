import { readFileSync } from 'node:fs';
import path from 'node:path';
import { posix } from '../schema/discover.js';
import { lineStarts } from '../range.js';
import type { Diagnostic } from '../rule.js';
import type { EarlyProjectVerify as EarlyStart } from '../verify/index.js';
import type { EngineOptions } from './engine.js';
import type { ProjectSchema } from './schema.js';
import { toMessages } from './source.js';
import { makeResult, type LintMessage, type LintResult } from './types.js';
import { errorMessage } from '../error-message.js';


function toDiagnostic(m: LintMessage, starts: number[]): Diagnostic {
  const at = (line: number, column: number) => (starts[line - 1] ?? 0) + column - 1;
  return { ruleId: m.ruleId!, severity: m.severity === 2 ? 'error' : 'warn', message: m.message, messageId: m.messageId ?? '', start: at(m.line, m.column), end: at(m.endLine, m.endColumn), category: 'performance' };
}

/** Spawns `--verify`'s PGlite worker before the schema is read (see `prewarmVerifyProject`). */
export async function prewarmVerify(cwd: string, engine: EngineOptions): Promise<void> {
  if (engine.dialect === 'postgresql') (await import('../verify/index.js')).prewarmVerifyProject(cwd);
}

/**
 * Begins `--verify`'s PGlite start (in its worker, with the schema) before the files are linted,
 * so that the two run side by side; `verifyResults` uses it. Undefined when it cannot start here.
 */
export async function beginVerifyResults(cwd: string, engine: EngineOptions, projectSchema: ProjectSchema | undefined): Promise<EarlyStart | undefined> {
  if (engine.dialect !== 'postgresql') return undefined;
  try {
    await (await import('../ready.js')).ready(['postgresql']);
    const { beginVerifyProject } = await import('../verify/index.js');
    return beginVerifyProject(cwd, projectSchema ? { schemaFiles: projectSchema.files } : {});
  } catch {
    // verifyResults starts it again and says what went wrong
    return undefined;
  }
}

/**
 * `sqlperf lint --verify`: the static results, with PostgreSQL's own analyzer and planner applied
 * (invalid-query, planner-confirmed or dropped missing-index, schema-error). When verification
 * cannot run, the static results stand and stderr says why. `given`: texts already read, by path
 * (standard input under --stdin-filename), verified instead of the file on disk.
 */
export async function verifyResults(cwd: string, results: LintResult[], engine: EngineOptions, projectSchema: ProjectSchema | undefined, note: (line: string) => void, given: ReadonlyMap<string, string> = new Map(), early?: EarlyStart): Promise<LintResult[]> {
  if (engine.dialect !== 'postgresql') {
    note(`--verify checks PostgreSQL only (dialect is ${engine.dialect}); the static findings stand`);
    return results;
  }
  const texts = new Map<string, string>();
  // migrations ran against the schema of their time: PostgreSQL checks them while loading the schema, not as queries
  const schemaFiles = new Set(engine.schemaFiles ?? []);
  for (const r of results) {
    if (r.messages.some((m) => m.fatal) || schemaFiles.has(r.filePath)) continue;
    try {
      texts.set(r.filePath, given.get(r.filePath) ?? readFileSync(r.filePath, 'utf8'));
    } catch {
      // unreadable files were reported by the static run
    }
  }
  const { verifyProject, verifiedDiagnostics, VerifyUnavailableError } = await import('../verify/index.js');
  let report;
  try {
    report = await verifyProject(cwd, [...texts].map(([file, text]) => ({ path: posix(cwd, file), text })), {
      ...(engine.rules ? { rules: engine.rules } : {}),
      ...(engine.tags ? { tags: engine.tags } : {}),
      ...(engine.callees ? { callees: engine.callees } : {}),
      ...(projectSchema ? { schemaFiles: projectSchema.files } : {}),
      ...(early ? { early } : {}),
    });
  } catch (e) {
    if (e instanceof VerifyUnavailableError) {
      note(`${e.message}; the static findings stand`);
      return results;
    }
    note(`--verify failed (${errorMessage(e)}); the static findings stand`);
    return results;
  }
  const t = report.timings;
  const timing = report.started ? `PGlite start ${Math.round(t.startMs)} ms, schema ${Math.round(t.schemaLoadMs)} ms, ${t.explains} EXPLAINs ${Math.round(t.explainMs)} ms, total ${Math.round(t.totalMs)} ms` : `from the cache in ${Math.round(t.totalMs)} ms`;
  note(`verify: ${report.status}, ${report.units.length} statements; ${timing}`);
  for (const n of report.notes) note(`verify: ${n}`);
  return results.map((r) => {
    const text = texts.get(r.filePath) ?? (schemaFiles.has(r.filePath) ? projectSchema?.files.find((f) => path.resolve(cwd, f.path) === r.filePath)?.text : undefined);
    if (text === undefined) return r;
    const starts = lineStarts(text);
    const fatal = r.messages.filter((m) => m.ruleId === null);
    let diags = verifiedDiagnostics(report, posix(cwd, r.filePath), r.messages.filter((m) => m.ruleId !== null).map((m) => toDiagnostic(m, starts)));
    // where PostgreSQL itself names the unknown table or column, the static guess at the same place says it twice
    const rejected = diags.filter((d) => d.ruleId === 'invalid-query');
    diags = diags.filter((d) => !((d.ruleId === 'unknown-table' || d.ruleId === 'unknown-column') && rejected.some((x) => x.start <= d.start && x.end >= d.end)));
    return makeResult(r.filePath, [...fatal, ...toMessages(text, diags, starts)]);
  });
}
