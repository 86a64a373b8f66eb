import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COST_BEGIN, COST_END, renderCostTable } from '../scripts/readme-cost.js';

const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');

describe('README cost model', () => {
  it('cost table matches src/cost.ts (run `npm run docs` to regenerate)', () => {
    expect(readme.slice(readme.indexOf(COST_BEGIN), readme.indexOf(COST_END) + COST_END.length)).toBe(renderCostTable());
  });
});
