/** Close matches for "did you mean": edit distance, nearest first. */

/** Edit distance (insert, delete, substitute), case-insensitive. */
export function editDistance(a: string, b: string): number {
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      const substitution = previous[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, substitution);
    }
    previous = current;
  }
  return previous[y.length];
}

/** Up to `limit` candidates within `maxDistance` edits (default: a third of the word, at least 2). */
export function closeMatches(
  word: string,
  candidates: readonly string[],
  options: { limit?: number; maxDistance?: number } = {},
): string[] {
  const maxDistance = options.maxDistance ?? Math.max(2, Math.floor(word.length / 3));
  return candidates
    .map((candidate) => ({ candidate, distance: editDistance(word, candidate) }))
    .filter((m) => m.distance <= maxDistance)
    .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate))
    .slice(0, options.limit ?? 3)
    .map((m) => m.candidate);
}
