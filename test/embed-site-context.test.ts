// A startup migration or a backfill kept in application code runs once: the rules that judge
// production queries do not apply to its SQL (src/embed/site-context.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import { ready } from '../src/api.js';
import { lintHostSource } from '../src/embed/index.js';

beforeAll(() => ready());

const UPDATE = "UPDATE status_page SET slug = 'empty' WHERE TRIM(slug) = ''";
const found = (code: string) => lintHostSource(code, 'server/database.ts', { dialect: 'postgresql', context: 'app' }).diagnostics.map((d) => `${d.line}:${d.column} ${d.ruleId}`);

describe('SQL in a function that runs once', () => {
  it.each([
    ['a static method named migrate*', `class Database {\n  static async migrateNewStatusPage() {\n    await R.exec("${UPDATE}");\n  }\n}\n`],
    ['a function named *Migrations', `async function runMigrations(db) {\n  await db.query("${UPDATE}");\n}\n`],
    ['an arrow function assigned to backfill*', `export const backfillSlugs = async (db) => {\n  await db.query("${UPDATE}");\n};\n`],
    ['an anonymous callback inside upgradeDatabase', `async function upgradeDatabase(db, pages) {\n  await Promise.all(pages.map(async () => db.query("${UPDATE}")));\n}\n`],
  ])('%s: not judged as a production query', (_what, code) => {
    expect(found(code)).toEqual([]);
  });

  it('the same SQL in any other function is', () => {
    expect(found(`async function listPages(db) {\n  await db.query("${UPDATE}");\n}\n`)).toEqual(['2:63 no-function-on-column']);
    // a method that only mentions patching (an HTTP PATCH handler) is application code
    expect(found(`const api = {\n  async patchPage(db) {\n    await db.query("${UPDATE}");\n  },\n};\n`)).toEqual(['3:65 no-function-on-column']);
  });
});
