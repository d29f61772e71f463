// Python's difflib.get_close_matches, which click uses for its "Did you mean ...?" hints: the
// Ratcliff/Obershelp similarity of two strings, and the candidates most like a word.

/** The characters two strings share in order (the sizes of Python difflib's matching blocks). */
function matchingCharacters(a: string, b: string): number {
  const positions = new Map<string, number[]>();
  for (let j = 0; j < b.length; j++) (positions.get(b[j]!) ?? positions.set(b[j]!, []).get(b[j]!)!).push(j);
  let total = 0;
  const queue: [number, number, number, number][] = [[0, a.length, 0, b.length]];
  while (queue.length > 0) {
    const [alo, ahi, blo, bhi] = queue.pop()!;
    // The longest common block, earliest in a then in b (difflib's find_longest_match).
    let besti = alo;
    let bestj = blo;
    let size = 0;
    let lengths = new Map<number, number>();
    for (let i = alo; i < ahi; i++) {
      const next = new Map<number, number>();
      for (const j of positions.get(a[i]!) ?? []) {
        if (j < blo) continue;
        if (j >= bhi) break;
        const k = (lengths.get(j - 1) ?? 0) + 1;
        next.set(j, k);
        if (k > size) [besti, bestj, size] = [i - k + 1, j - k + 1, k];
      }
      lengths = next;
    }
    if (size === 0) continue;
    total += size;
    if (alo < besti && blo < bestj) queue.push([alo, besti, blo, bestj]);
    if (besti + size < ahi && bestj + size < bhi) queue.push([besti + size, ahi, bestj + size, bhi]);
  }
  return total;
}

/**
 * Python's difflib.get_close_matches (n 3, cutoff 0.6): the possibilities most like `word`,
 * best first, which click offers as "Did you mean ...?".
 *
 * @example
 * closeMatches("--cou", ["--admin", "--count", "--help"]);   // ["--count"]
 */
export function closeMatches(word: string, possibilities: Iterable<string>, n = 3, cutoff = 0.6): string[] {
  const scored: [number, string][] = [];
  for (const x of possibilities) {
    const ratio = (2 * matchingCharacters(x, word)) / (x.length + word.length || 1);
    if (ratio >= cutoff) scored.push([ratio, x]);
  }
  // Highest score first; equal scores the greater string first, as heapq.nlargest on (score, x).
  scored.sort((p, q) => q[0] - p[0] || (q[1] > p[1] ? 1 : q[1] < p[1] ? -1 : 0));
  return scored.slice(0, n).map(([, x]) => x);
}
