/**
 * A cheap text test for files whose SQL is written by a query builder rather than held in a
 * literal: a LIKE comparison handed to a builder (`.where('name', 'ilike', ...)`, `whereILike`,
 * drizzle's `ilike(`, Sequelize's `Op.iLike`) or a builder/ORM read that may run once per element
 * of a loop. Files that pass it are parsed for the program-wide checks (src/embed/host-rules.ts),
 * in the CLI and the ESLint plugin alike.
 */
const BUILDER = /['"`](?:not\s+)?i?like['"`]|\b(?:(?:and|or)?where(?:Not)?I?Like|ilike|notIlike|like|notLike)\s*\(|\bOp\.(?:i?Like|notI?Like)\b|\.(?:findUnique|findUniqueOrThrow|findFirst|findFirstOrThrow|executeTakeFirst|executeTakeFirstOrThrow)\s*\(/;

export function mayHoldBuilderQueries(text: string): boolean {
  return BUILDER.test(text);
}
