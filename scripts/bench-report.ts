// Printing for `npm run bench`: number formats, markdown tables, the targets list, timed sections.

export const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
export const ms = (n: number | undefined) => (n === undefined ? 'n/a' : n >= 10_000 ? `${(n / 1000).toFixed(1)} s` : `${fmt(n)} ms`);
export const secs = (n: number) => `${(n / 1000).toFixed(2)} s`;
export const mb = (kb: number | undefined) => (kb === undefined ? 'n/a' : `${Math.round(kb / 1024)} MB`);
export const x = (r: number | undefined) => (r === undefined || !Number.isFinite(r) ? 'n/a' : `${r.toFixed(2)}×`);
export const pct = (r: number | undefined) => (r === undefined || !Number.isFinite(r) ? 'n/a' : `${r >= 1 ? '+' : ''}${((r - 1) * 100).toFixed(0)}%`);

export function table(head: string[], rows: string[][]): void {
  console.log([head, head.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n') + '\n');
}

/** One row of the final targets table: a figure of issue 17's "Done when" list. */
export interface Target {
  figure: string;
  target: string;
  /** What was measured; the judged figure first. */
  measured: string;
  /** true: met, false: not met, a string: why it was not measured. */
  status: boolean | string;
}

export class Targets {
  readonly rows: Target[] = [];

  add(figure: string, target: string, measured: string, met: boolean): void {
    this.rows.push({ figure, target, measured, status: met });
  }

  skip(figure: string, target: string, why: string): void {
    this.rows.push({ figure, target, measured: '-', status: `skipped: ${why}` });
  }

  print(): void {
    const status = (s: boolean | string) => (s === true ? 'met' : s === false ? '**NOT met**' : s);
    table(
      ['figure', 'target', 'measured', 'status'],
      this.rows.map((r) => [r.figure, r.target, r.measured, status(r.status)]),
    );
    const missed = this.rows.filter((r) => r.status === false).map((r) => r.figure);
    const skipped = this.rows.filter((r) => typeof r.status === 'string').length;
    console.log(`${this.rows.length - missed.length - skipped} met, ${missed.length} not met${missed.length ? ` (${missed.join('; ')})` : ''}, ${skipped} skipped\n`);
  }
}

/**
 * Runs one section of the benchmark under its heading and prints how long it took. A section that
 * fails prints why and lets the others run; its targets are listed as not measured.
 */
export async function section(title: string, fn: () => void | Promise<void>, onFail?: (why: string) => void): Promise<void> {
  console.log(`## ${title}\n`);
  const t0 = performance.now();
  try {
    await fn();
  } catch (e) {
    const why = (e as Error).message.split('\n')[0]!.slice(0, 300);
    console.log(`failed: ${why}\n`);
    onFail?.(`failed (${why.slice(0, 80)})`);
  }
  console.log(`(section took ${secs(performance.now() - t0)})\n`);
}
