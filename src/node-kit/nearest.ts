import { distance } from 'fastest-levenshtein';

/** Names from `candidates` closest to `name` (edit distance, then shared prefix), best first. */
export function nearestNames(name: string, candidates: Iterable<string>, limit = 3): string[] {
  const lowered = name.toLowerCase();
  const scored = [...candidates].map((candidate) => {
    const other = candidate.toLowerCase();
    let score = distance(lowered, other);
    if (other.includes(lowered) || lowered.includes(other)) score -= 2;
    const [first] = lowered.split('.');
    if (first && other.startsWith(first + '.')) score -= 1;
    return { candidate, score };
  });
  scored.sort((a, b) => a.score - b.score || a.candidate.localeCompare(b.candidate));
  const limitScore = Math.max(3, Math.ceil(name.length * 0.6));
  return scored.filter((entry) => entry.score <= limitScore).slice(0, limit).map((entry) => entry.candidate);
}
