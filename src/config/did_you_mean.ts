/** "Did you mean" suggestions for misspelt keys. */
import { closeMatches } from "../core/close_matches.ts";

/** The closest candidate within a third of the word's length (at least 2 edits), or undefined. */
export function closestMatch(word: string, candidates: readonly string[]): string | undefined {
  return closeMatches(word, candidates, { limit: 1 })[0];
}

/** `unknown key; did you mean "x"?` or `unknown key; known: a, b, c`. */
export function unknownKeyMessage(key: string, known: readonly string[]): string {
  const match = closestMatch(key, known);
  return match
    ? `unknown key; did you mean "${match}"?`
    : `unknown key; known: ${known.join(", ")}`;
}
