import { Command, CommanderError, Option } from 'commander';
import { ConfigError } from '../config/rules-config.js';
import { EXIT, UsageError } from './errors.js';
import { version } from '../version.js';
import { errorMessage } from '../error-message.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Runs the CLI; resolves to the exit code. Never throws. */
export async function main(argv: string[]): Promise<number> {
  let code: number = EXIT.ok;
  const debug = argv.includes('--debug');
  const program = new Command('sqlperf')
    .description('Static SQL performance linter for .sql files and SQL in JS/TS')
    .version(version(), '-v, --version')
    .option('--debug', 'print stack traces of internal errors; lint: say which config, dialect, context and schema each file got')
    .exitOverride()
    .showSuggestionAfterError()
    .configureOutput({ outputError: (str, write) => write(str.startsWith('error:') ? `sqlperf: ${str}` : str) });

  const done = (c: number) => {
    code = c;
  };
  addLint(program, done, debug);
  addAnalyze(program, done);
  addIndexes(program, done);
  addRules(program, done);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    return failure(e, debug);
  }
}

// options that several commands take: a new Option for each command
const dialect = () => new Option('--dialect <name>', 'SQL dialect: postgresql (default), mysql, mariadb, sqlite, bigquery, transactsql, snowflake');
const config = () => new Option('-c, --config <file>', 'use this config file instead of searching for one');
const schema = () => new Option('--schema <path>', 'DDL file, folder or glob of the schema (migrations); repeatable (default: found automatically)').argParser(collect);
const noSchema = () => new Option('--no-schema', 'do not load a schema');

/** The commands: each action loads its module only when it runs, and hands its exit code to `done`. */
function addLint(program: Command, done: (code: number) => void, debug: boolean): void {
  program
    .command('lint')
    .description('lint .sql files and SQL in JS/TS files (default path: .)')
    .argument('[paths...]', 'files, folders or globs')
    .addOption(dialect())
    .addOption(config())
    .option('--rule <rule:severity>', 'set a rule: <id>:<off|warn|error> (repeatable)', collect)
    .addOption(new Option('-f, --format <name>', 'output format').choices(['stylish', 'json', 'sarif', 'github']).default('stylish'))
    .option('-o, --output-file <file>', 'write the report to a file')
    .option('--ignore-pattern <glob>', 'ignore files matching this glob, relative to the working directory (repeatable)', collect)
    .option('--quiet', 'report errors only')
    .option('--fix', 'apply the safe fixes to the files (atomically) and report what remains; suggestions are never applied')
    .option('--fix-dry-run', 'apply the safe fixes in memory: print the changes (JSON: each result\'s "output"), write nothing')
    .option('--max-warnings <n>', 'exit with 1 when there are more than n warnings')
    .option('--stdin', 'lint SQL read from standard input')
    .option('--stdin-filename <name>', 'file name for --stdin (its extension picks .sql or JS/TS)')
    .option('--no-color', 'no colours')
    .option('--stats', 'print SQL sites found, analysed, skipped and failed per file type (on stderr)')
    .option('--report-unanalysed', 'also list, as warnings, the SQL sites that were not analysed (holes sqlperf cannot fill, SQL the parser rejects), with the reason')
    .option('--report-unused-disable-directives', 'report sqlperf-disable directives that suppress nothing, as errors (config: "reportUnusedDisableDirectives")')
    .option('--report-unused-disable-directives-severity <level>', 'the same, at this severity: off, warn or error')
    .option('--print-config <file>', 'print the configuration that applies to this file (config file, dialect, context, schema files, rules with severities) as JSON, and lint nothing')
    .option('--suppress-all', 'write every finding of the linted files to the suppressions file (a baseline): later runs fail only on findings beyond it')
    .option('--suppress-rule <id>', 'write the findings of this rule to the suppressions file (repeatable)', collect)
    .option('--suppressions-location <file>', `the suppressions file (default: sqlperf-suppressions.json in the working directory)`)
    .option('--prune-suppressions', 'remove from the suppressions file what the linted files no longer have')
    .option('--pass-on-unpruned-suppressions', 'do not fail (exit code 2) on suppressions that no longer occur')
    .option('--cache', 'only lint files whose content changed since the last --cache run')
    .option('--cache-location <path>', 'cache file, or folder for it (default: .sqlperfcache in the working directory)')
    .option('--cache-strategy <strategy>', 'how a changed file is found: metadata (size and time, then content; default) or content (always the content)')
    .option('--concurrency <n|auto|off>', 'worker threads for many files: a number (at most the cores), auto (default: with 4+ cores and more than 50 files to lint) or off')
    .option('--max-file-size <size>', 'skip files larger than this, e.g. 2MB (default 1MB; 0: no limit)')
    .option('--max-messages <n>', 'messages kept per file, the rest summed up in one (default 1000; 0: no limit)')
    .addOption(schema())
    .addOption(noSchema())
    .option('--verify', "check queries and index suggestions with PostgreSQL's own planner (embedded PGlite)")
    .action(async (paths: string[], flags) => {
      const { lint } = await import('./commands/lint.js');
      done(await lint(paths, { ...flags, debug }));
    });
}

function addAnalyze(program: Command, done: (code: number) => void): void {
  program
    .command('analyze')
    .description('explain one query (or each statement of a file): cost, factors, index suggestions, diagnostics')
    .argument('[sql]', 'the SQL, or a file that holds it; standard input for - or when neither it nor --file is given')
    .option('--file <file>', 'read the SQL from a file')
    .addOption(dialect())
    .addOption(config())
    .option('--rule <rule:severity>', 'set a rule: <id>:<off|warn|error> (repeatable)', collect)
    .addOption(new Option('-f, --format <name>', 'output format').choices(['text', 'json']).default('text'))
    .option('--no-color', 'no colours')
    .addOption(schema())
    .addOption(noSchema())
    .action(async (sql: string | undefined, flags) => {
      const { analyzeCommand } = await import('./commands/analyze.js');
      done(await analyzeCommand(sql, flags));
    });
}

function addIndexes(program: Command, done: (code: number) => void): void {
  program
    .command('indexes')
    .description('suggest indexes for every query under the paths, merged and ranked by how many queries each serves')
    .argument('[paths...]', 'files, folders or globs')
    .addOption(dialect())
    .addOption(config())
    .addOption(new Option('-f, --format <name>', 'text (one line per index), sql (a migration) or json').choices(['text', 'sql', 'json']).default('text'))
    .option('-o, --output-file <file>', 'write the result to a file')
    .option('--ignore-pattern <glob>', 'ignore files matching this glob (repeatable)', collect)
    .addOption(schema())
    .addOption(noSchema())
    .option('--verify', 'print only the indexes PostgreSQL\'s planner uses (embedded PGlite)')
    .action(async (paths: string[], flags) => {
      const { indexesCommand } = await import('./commands/indexes.js');
      done(await indexesCommand(paths, flags));
    });
}

function addRules(program: Command, done: (code: number) => void): void {
  program
    .command('rules')
    .description('list the rules')
    .addOption(new Option('-f, --format <name>', 'output format').choices(['text', 'json']).default('text'))
    .option('--no-color', 'no colours')
    .action(async (flags) => {
      const { rulesCommand } = await import('./commands/rules.js');
      done(await rulesCommand(flags));
    });

  program
    .command('explain')
    .description("print a rule's documentation")
    .argument('<rule>', 'rule id, e.g. no-select-star')
    .option('--no-color', 'no colours')
    .action(async (id: string, flags) => {
      const { explainCommand } = await import('./commands/rules.js');
      done(await explainCommand(id, flags));
    });
}

/** The exit code for what parsing or a command threw, said on stderr. */
function failure(e: unknown, debug: boolean): number {
  if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.fatal;
  if (e instanceof UsageError) process.stderr.write(`sqlperf: ${e.message}\n`);
  else if (e instanceof ConfigError) process.stderr.write(`sqlperf: invalid config: ${e.message}\n`);
  else {
    process.stderr.write(`sqlperf: internal error: ${errorMessage(e)}\n`);
    if (!debug) process.stderr.write('Run again with --debug for the stack trace, and please report it.\n');
  }
  if (debug) process.stderr.write(`${e instanceof Error && e.stack ? e.stack : String(e)}\n`);
  return EXIT.fatal;
}
