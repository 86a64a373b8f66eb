import { resolve, sep } from 'node:path';

/**
 * The schema describes the file's database: it has no scope, or the file is in one of its folders
 * (a monorepo package's schema serves that package and the packages that depend on it). Kept apart
 * from discovery so the lint path loads nothing more for it.
 */
export function schemaAppliesTo(schema: { scope?: readonly string[] }, file: string): boolean {
  if (!schema.scope) return true;
  const abs = resolve(file);
  return schema.scope.some((d) => abs === d || abs.startsWith(d.endsWith(sep) ? d : d + sep));
}
