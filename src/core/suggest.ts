/**
 * "Did you mean" for a misspelt name: the optimal-string-alignment edit distance (Levenshtein plus
 * the swap of two neighbours, so `prot` is one step from `port`) and the closest known name.
 * Twenty lines of our own rather than a dependency: the names compared are short (at most a few
 * dozen characters against a few hundred candidates), so the O(n·m) table costs microseconds.
 */

/**
 * Edits (insert, delete, replace, or swap two neighbouring characters) that turn `a` into `b`.
 *
 * @example
 * ```ts
 * editDistance('prot', 'port'); // 1 (a swap)
 * editDistance('PasswordAuthentification', 'PasswordAuthentication'); // 2
 * ```
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  return d[a.length]![b.length]!;
}

/**
 * The candidate closest to `word`, ignoring case (ties go to the one closer with case, then to the
 * first), if it is within `maxDistance` edits — by default a third of the word's length, at least
 * one: a short word gets no far-fetched guess.
 *
 * @example
 * ```ts
 * closest('PasswordAuthentification', ['PasswordAuthentication', 'PermitRootLogin']); // 'PasswordAuthentication'
 * closest('x', ['to', 'from']); // undefined
 * ```
 */
export function closest(word: string, candidates: Iterable<string>, maxDistance = Math.max(1, Math.floor(word.length / 3))): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  let bestExact = Infinity;
  const lower = word.toLowerCase();
  for (const c of candidates) {
    if (c === word) continue;
    const dd = editDistance(lower, c.toLowerCase());
    if (dd > maxDistance || dd > bestD) continue;
    const exact = editDistance(word, c);
    if (dd < bestD || exact < bestExact) [best, bestD, bestExact] = [c, dd, exact];
  }
  return best;
}
