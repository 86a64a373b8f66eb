import type { RulesConfig } from '../config/rules-config.js';

/**
 * A migration ran against the schema of its time, not the final one: inside the schema files,
 * rules that compare a query with the final schema would report tables a later migration dropped.
 * The front ends turn these off for the schema's own files.
 */
export const FINAL_SCHEMA_RULES = ['unknown-table', 'unknown-column', 'missing-index'] as const;

export function rulesForSchemaFile(rules: RulesConfig | undefined): RulesConfig {
  return { ...rules, ...Object.fromEntries(FINAL_SCHEMA_RULES.map((r) => [r, 'off' as const])) };
}
