/** "Did you mean" suggestions for misspelt keys. */

/** Edit distance (insert, delete, substitute) between two strings. */
export function levenshtein(a: string, b: string): number {
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

/** The closest candidate within a third of the word's length (at least 2 edits), or undefined. */
export function closestMatch(word: string, candidates: readonly string[]): string | undefined {
  const limit = Math.max(2, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = levenshtein(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return bestDistance <= limit ? best : undefined;
}

/** `unknown key; did you mean "x"?` or `unknown key; known: a, b, c`. */
export function unknownKeyMessage(key: string, known: readonly string[]): string {
  const match = closestMatch(key, known);
  return match
    ? `unknown key; did you mean "${match}"?`
    : `unknown key; known: ${known.join(", ")}`;
}
