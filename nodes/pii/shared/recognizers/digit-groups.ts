export interface DigitGroup {
  start: number;
  end: number;
  digits: string;
}

/**
 * Runs of digit groups joined by single separators ("4012 8888-8888 1881"), each run bounded by
 * something that is not a letter, digit or underscore. Returned as one group list per run.
 */
export function digitGroupRuns(text: string, separators: string): DigitGroup[][] {
  const escaped = separators.replace(/[-\\\]^]/g, '\\$&');
  const runPattern = new RegExp(`(?<![\\p{L}\\p{M}\\p{N}_])\\d+(?:[${escaped}]\\d+)*(?![\\p{L}\\p{M}\\p{N}_])`, 'gu');
  const runs: DigitGroup[][] = [];
  for (const run of text.matchAll(runPattern)) {
    const groups: DigitGroup[] = [];
    for (const group of run[0].matchAll(/\d+/g)) {
      const start = run.index + group.index;
      groups.push({ start, end: start + group[0].length, digits: group[0] });
    }
    runs.push(groups);
  }
  return runs;
}
