import { main } from './program.js';
import { setCliFlags } from './v8-flags.js';

/** The `sqlperf` command: runs the CLI on the process's arguments and exits with its code. */
export async function runCli(): Promise<void> {
  setCliFlags();
  const code = await main(process.argv.slice(2));
  // Exit as soon as the output is flushed rather than when V8's background work is done.
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}
