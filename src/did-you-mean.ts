/** Levenshtein distance between two strings (insertions, deletions and substitutions count 1). */
export function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0]!;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j]!;
      dp[j] = Math.min(dp[j]! + 1, dp[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length]!;
}

/**
 * The one "did you mean" of sqlperf (unknown rules, config keys, tables, columns, relations
 * PostgreSQL does not know): the candidate nearest to `name`, ignoring case, when it is within
 * max(2, a third of the name's length) edits; never `name` itself. The first of equally near ones wins.
 */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  const l = name.toLowerCase();
  for (const c of candidates) {
    if (c === name) continue;
    const d = editDistance(l, c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}
