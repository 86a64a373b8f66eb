// withBaselineWasm (src/cli/v8-flags.ts): the ESLint plugin compiles libpg-query with V8's baseline
// compiler only, in a process that is not sqlperf's own, and puts V8's defaults back after. Seen
// in V8's own trace: a hot WebAssembly function compiled inside is never recompiled by TurboFan;
// the same function in a module compiled after it is.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, root } from './cli-helpers.js';

beforeAll(() => ensureBuilt(), 300_000);

// (func (export "f"|"g") (param i32) (result i32)): sums n, n-1, ... 1 in a loop; the export's name differs, so V8 does not share the two modules
const wasm = (name: string) =>
  `new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array([0,97,115,109,1,0,0,0,1,6,1,96,1,127,1,127,3,2,1,0,7,5,1,1,${name.charCodeAt(0)},0,0,10,27,1,25,1,1,127,3,64,32,1,32,0,106,33,1,32,0,65,1,107,34,0,13,0,11,32,1,11]))).exports.${name}`;

/** The native module (V8's address) of each function compile in the trace, by tier, in order. */
function compiles(trace: string): Array<{ module: string; tier: string }> {
  return [...trace.matchAll(/Compiled function (0x[0-9a-f]+)#\d+ using (\w+)/g)].map((m) => ({ module: m[1]!, tier: m[2]! }));
}

describe('withBaselineWasm', () => {
  it('compiles inside with Liftoff only, and V8 tiers up what is compiled after', () => {
    const flags = pathToFileURL(join(root, 'dist', 'src', 'cli', 'v8-flags.js')).href;
    // f runs first (its module compiles lazily, so its first compile is the first in the trace), then both run hot for a while
    const script = `import { withBaselineWasm } from '${flags}';
const f = await withBaselineWasm(async () => ${wasm('f')});
const g = ${wasm('g')};
f(1); g(1);
for (let round = 0; round < 120; round++) { for (let i = 0; i < 100; i++) f(10000) + g(10000); await new Promise((r) => setTimeout(r, 25)); }`;
    const r = spawnSync(process.execPath, ['--trace-wasm-compilation-times', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const all = compiles(r.stdout);
    const [f, g] = [...new Set(all.map((c) => c.module))];
    expect(all.filter((c) => c.module === f).map((c) => c.tier)).toEqual(['Liftoff']);
    expect(all.filter((c) => c.module === g).map((c) => c.tier)).toEqual(['Liftoff', 'TurboFan']);
  });
});
