/** "Did you mean": the candidates closest to a misspelt word by edit distance, nearest first. */

/** Levenshtein distance (insert, delete, substitute one character), case-sensitive. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length];
}

/**
 * Up to `limit` (default 3) candidates within `maxDistance` edits of `word`, ignoring case; the
 * default distance is a third of the word's length, at least 2. Ties go alphabetically.
 */
export function closeMatches(
  word: string,
  candidates: readonly string[],
  options: { limit?: number; maxDistance?: number } = {},
): string[] {
  const maxDistance = options.maxDistance ?? Math.max(2, Math.floor(word.length / 3));
  const lower = word.toLowerCase();
  return candidates
    .map((candidate) => ({ candidate, distance: editDistance(lower, candidate.toLowerCase()) }))
    .filter((m) => m.distance <= maxDistance)
    .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate))
    .slice(0, options.limit ?? 3)
    .map((m) => m.candidate);
}
