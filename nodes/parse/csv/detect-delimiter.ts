/** Delimiters `delimiter: "auto"` chooses among, in order of preference on a tie. */
export const delimiterCandidates = [',', ';', '\t', '|'] as const;

const sampleRecords = 20;

/**
 * Guesses a CSV's delimiter from its first records: for each candidate, the number of times it
 * occurs outside quotes on each record; the winner is the candidate whose count is the same on
 * the most records (then the higher count, then the earlier candidate). A comma inside "Dupont,
 * Marie" or a decimal comma in 12,50 does not fool it when every line has the same number of
 * semicolons. Text with none of the candidates is one column: ",".
 */
export function detectDelimiter(text: string): string {
  const counts = countPerRecord(text);
  let best: { delimiter: string; consistency: number; fields: number } = { delimiter: ',', consistency: 0, fields: 0 };
  for (const [index, delimiter] of delimiterCandidates.entries()) {
    const perRecord = counts.map((record) => record[index]!);
    const modal = modalCount(perRecord);
    if (modal === 0) continue;
    const consistency = perRecord.filter((count) => count === modal).length / perRecord.length;
    if (consistency > best.consistency || (consistency === best.consistency && modal > best.fields)) {
      best = { delimiter, consistency, fields: modal };
    }
  }
  return best.delimiter;
}

/** Per non-empty record of the sample: how often each candidate occurs outside double quotes. */
function countPerRecord(text: string): number[][] {
  const records: number[][] = [];
  let current = delimiterCandidates.map(() => 0);
  let inQuotes = false;
  let hasContent = false;
  for (let index = 0; index < text.length && records.length < sampleRecords; index++) {
    const character = text[index]!;
    if (character === '"') inQuotes = !inQuotes; // "" inside quotes toggles twice
    else if (!inQuotes && (character === '\n' || character === '\r')) {
      if (hasContent) records.push(current);
      current = delimiterCandidates.map(() => 0);
      hasContent = false;
      continue;
    } else if (!inQuotes) {
      const candidate = (delimiterCandidates as readonly string[]).indexOf(character);
      if (candidate >= 0) current[candidate]! += 1;
    }
    hasContent = true;
  }
  if (hasContent && records.length < sampleRecords) records.push(current);
  return records;
}

/** The most frequent non-zero count (the larger one on a tie); 0 when the candidate never occurs. */
function modalCount(counts: number[]): number {
  const frequency = new Map<number, number>();
  for (const count of counts) if (count > 0) frequency.set(count, (frequency.get(count) ?? 0) + 1);
  let modal = 0;
  let seen = 0;
  for (const [count, times] of frequency) {
    if (times > seen || (times === seen && count > modal)) [modal, seen] = [count, times];
  }
  return modal;
}
