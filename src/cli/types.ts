/** One problem in one file, in ESLint's message shape (1-based lines and columns, endColumn exclusive). */
export interface LintMessage {
  /** null for a problem with the file itself (unreadable, binary): `fatal` is then true. */
  ruleId: string | null;
  severity: 1 | 2;
  message: string;
  messageId?: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  fatal?: true;
  /** A safe fix, as ESLint gives it: replace `range` (offsets into the file's text) by `text`. */
  fix?: { range: [number, number]; text: string };
  /** A rewrite that changes results in some cases (src/fix/): offered, never applied by --fix. */
  suggestions?: Array<{ desc: string; fix: { range: [number, number]; text: string } }>;
}

/** One linted file, in ESLint's result shape so that existing tooling reads it. */
export interface LintResult {
  /** Absolute path, or `<text>` for stdin without --stdin-filename. */
  filePath: string;
  messages: LintMessage[];
  errorCount: number;
  warningCount: number;
  fatalErrorCount: number;
  fixableErrorCount: number;
  fixableWarningCount: number;
  /** Findings a bulk suppression (`sqlperf-suppressions.json`) covers, as ESLint reports them. */
  suppressedMessages: SuppressedMessage[];
  usedDeprecatedRules: [];
}

export interface SuppressedMessage extends LintMessage {
  suppressions: Array<{ kind: 'file'; justification: '' }>;
}

/** What a formatter gets besides the results. */
export interface FormatContext {
  cwd: string;
  color: boolean;
  /** Columns of the terminal (stylish keeps rows within it); default 100. */
  width?: number;
}

export type Formatter = (results: LintResult[], ctx: FormatContext) => string;

/** The id shown where a rule id is required for a file-level problem. */
export const FILE_ERROR_ID = 'file-error';

export function makeResult(filePath: string, messages: LintMessage[]): LintResult {
  messages.sort((a, b) => a.line - b.line || a.column - b.column || a.endLine - b.endLine || a.endColumn - b.endColumn);
  const errorCount = messages.filter((m) => m.severity === 2).length;
  return {
    filePath,
    messages,
    errorCount,
    warningCount: messages.length - errorCount,
    fatalErrorCount: messages.filter((m) => m.fatal).length,
    fixableErrorCount: messages.filter((m) => m.fix && m.severity === 2).length,
    fixableWarningCount: messages.filter((m) => m.fix && m.severity === 1).length,
    suppressedMessages: [],
    usedDeprecatedRules: [],
  };
}
