import type { RulesConfig } from '../../src/config/rules-config.js';
import { rules } from '../../rules/index.js';

/**
 * Every rule on at its default severity: `recommended` is the set measured precise on real code,
 * so tests of the opt-in rules (and parity, which must cover every rule) turn them on here.
 */
export const ALL: RulesConfig = Object.fromEntries(rules.map((r) => [r.name, r.severity]));
