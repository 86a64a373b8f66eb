import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../src/api.js';
import { lintHostSource } from '../src/embed/index.js';
import { ALL } from './helpers/all-rules.js';

beforeAll(() => ready());

describe('a template with escaped backticks (MySQL quoted names)', () => {
  it('is found through a generic query call and analysed, with host positions', () => {
    const code = 'async function f(R, ids, id) {\n  await R.exec(`DELETE FROM \\`group\\` WHERE id NOT IN (SELECT group_id FROM gone) AND status_page_id = ?`, [id]);\n}\n';
    const r = lintHostSource(code, 'f.js', { dialect: 'mysql', rules: ALL });
    expect(r.stats).toMatchObject({ sites: 1, analysed: 1 });
    expect(r.diagnostics.map((d) => `${d.ruleId} ${d.line}:${d.column}`)).toEqual(['no-not-in-subquery 2:48']);
  });
});
