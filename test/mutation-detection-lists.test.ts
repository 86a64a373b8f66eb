/**
 * Golden cases for src/config/detection-lists.ts in process (test/detection-lists.test.ts also
 * runs the built CLI, which Stryker's mutants never reach): each list on its own, duplicates, and
 * the two extend switches apart.
 */
import { describe, expect, it } from 'vitest';
import { detectionLists } from '../src/config/detection-lists.js';
import { DEFAULT_CALLEES, DEFAULT_TAGS } from '../src/embed/detect.js';

describe('detectionLists', () => {
  it('the built-in lists are not empty, so that adding to them shows', () => {
    expect([DEFAULT_TAGS.includes('sql'), DEFAULT_CALLEES.length > 0]).toEqual([true, true]);
  });

  it('a user list is added after the defaults, each name once, whether it repeats a default or itself', () => {
    expect(detectionLists({ tags: ['q', 'sql', 'q'] })).toStrictEqual({ tags: [...DEFAULT_TAGS, 'q'] });
    expect(detectionLists({ callees: [DEFAULT_CALLEES[0]!, 'run2', 'run2'] })).toStrictEqual({ callees: [...DEFAULT_CALLEES, 'run2'] });
  });

  it('only the lists given are returned; a missing one keeps the detector default', () => {
    expect(detectionLists({ tags: ['q'] })).toStrictEqual({ tags: [...DEFAULT_TAGS, 'q'] });
    expect(detectionLists({ callees: ['run2'] })).toStrictEqual({ callees: [...DEFAULT_CALLEES, 'run2'] });
    expect(detectionLists({ extendDefaultTags: true, extendDefaultCallees: true })).toStrictEqual({});
  });

  it('extend false: the user list alone, once each; an empty list when none is given', () => {
    expect(detectionLists({ tags: ['q', 'q', 'r'], extendDefaultTags: false })).toStrictEqual({ tags: ['q', 'r'] });
    expect(detectionLists({ extendDefaultTags: false })).toStrictEqual({ tags: [] });
    expect(detectionLists({ callees: ['run2'], extendDefaultCallees: false })).toStrictEqual({ callees: ['run2'] });
  });

  it('each switch applies to its own list only', () => {
    expect(detectionLists({ tags: ['q'], callees: ['run2'], extendDefaultTags: false })).toStrictEqual({ tags: ['q'], callees: [...DEFAULT_CALLEES, 'run2'] });
    expect(detectionLists({ tags: ['q'], callees: ['run2'], extendDefaultCallees: false })).toStrictEqual({ tags: [...DEFAULT_TAGS, 'q'], callees: ['run2'] });
  });
});
