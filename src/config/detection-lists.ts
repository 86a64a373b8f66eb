/**
 * The template tags and callees that mark SQL in JS/TS, as a user's setting resolves them (the
 * CLI's config and the ESLint plugin's settings alike): a user's `tags` / `callees` are added to
 * the built-in lists, so naming your own `sql` helper never loses the Prisma, knex or pg sites
 * the defaults find. `extendDefaultTags: false` / `extendDefaultCallees: false` use the user's
 * list alone (the spelling of eslint-plugin-unicorn's `extendDefaultReplacements`).
 */
import { DEFAULT_CALLEES, DEFAULT_TAGS } from '../embed/detect.js';

export interface DetectionSetting {
  tags?: readonly string[];
  callees?: readonly string[];
  /** Default true: `tags` are added to the built-in tags. */
  extendDefaultTags?: boolean;
  /** Default true: `callees` are added to the built-in callees. */
  extendDefaultCallees?: boolean;
}

function resolve(list: readonly string[] | undefined, extend: boolean | undefined, defaults: readonly string[]): string[] | undefined {
  if (extend === false) return [...new Set(list ?? [])];
  // undefined: the detector's own default, which is the built-in list
  return list ? [...new Set([...defaults, ...list])] : undefined;
}

/** The lists to detect SQL with; `undefined` where the built-in list applies unchanged. */
export function detectionLists(setting: DetectionSetting): { tags?: string[]; callees?: string[] } {
  const tags = resolve(setting.tags, setting.extendDefaultTags, DEFAULT_TAGS);
  const callees = resolve(setting.callees, setting.extendDefaultCallees, DEFAULT_CALLEES);
  return { ...(tags ? { tags } : {}), ...(callees ? { callees } : {}) };
}
