import { match, type Recognizer, type RecognizerMatch } from './types.js';

const before = '(?<![\\p{L}\\p{M}\\p{N}_])(?<!\\d[./:-])';
const after = '(?![\\p{L}\\p{M}\\p{N}_]|[./:-]\\d)';

const monthNames = [
  'january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december',
];
const monthAbbreviations = ['jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec'];
/** A full month name, or an abbreviation with an optional dot (a dot after a full name ends the sentence). */
const month = `(?:${monthNames.join('|')}|(?:${monthAbbreviations.join('|')})\\.?)`;
const day = '(?:[12]\\d|3[01]|0?[1-9])(?:st|nd|rd|th)?';
const year = '(?:1[6-9]|20)\\d{2}';
/** Month names that are also everyday words or first names. */
const ambiguousMonthNames = new Set(['may', 'march', 'august', 'june', 'april', 'jan', 'mar']);

interface Shape {
  pattern: RegExp;
  /** The match's score, or undefined to drop it (calendar ranges, lower-case month names). */
  rate(value: string, text: string, index: number): number | undefined;
}

const isCalendarDate = (first: number, second: number) =>
  (first >= 1 && first <= 12 && second >= 1 && second <= 31) || (second >= 1 && second <= 12 && first >= 1 && first <= 31);
const startsCapitalised = (value: string) => /^\p{Lu}/u.test(value.replace(/^\d+(?:st|nd|rd|th)?\s*(?:of\s+)?/i, ''));

const shape = (source: string, score: number, accept?: (value: string, text: string, index: number) => boolean): Shape => ({
  pattern: new RegExp(`${before}(?:${source})${after}`, 'giu'),
  rate: (value, text, index) => (accept === undefined || accept(value, text, index) ? score : undefined),
});

/** Words that, right before a lone month name, make it a date ("in May", "since March"). */
const monthPrepositions = /(?:^|[^\p{L}])(?:in|on|since|until|till|by|during|before|after|from|to|of|early|late|mid|last|next|this|every)\s+$/iu;

const shapes: Shape[] = [
  // ISO 8601: 2024-03-15, 2024-03-15T14:30Z, 2024-03-15T14:30:00.123456+02:00
  shape(`${year}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\\d|3[01])(?:[T ](?:[01]\\d|2[0-3]):[0-5]\\d(?::[0-5]\\d(?:\\.\\d{1,9})?)?(?:Z|[+-](?:[01]\\d|2[0-3]):?[0-5]\\d)?)?`, 0.85),
  // 2024/03/15, 2024.03.15
  shape(`${year}([/.])(?:0?[1-9]|1[0-2])\\1(?:0?[1-9]|[12]\\d|3[01])`, 0.6),
  // 5-20-2021, 21.5.2021, 05/21/21: month-day or day-month, one separator used twice
  shape(`(\\d{1,2})([/.-])(\\d{1,2})\\2(?:${year}|\\d{2})`, 0.6, (value) => {
    const [first, second] = value.split(/[/.-]/).map(Number);
    return isCalendarDate(first!, second!);
  }),
  // September 18, May 1st, 1977, Sept. 18 2020
  shape(`${month}\\s?${day}(?:,?\\s${year})?`, 0.6, (value) => startsCapitalised(value)),
  // 18 September, 12 March 2024, 1st of May, 1977
  shape(`${day}(?:\\sof)?\\s${month}(?:,?\\s${year})?`, 0.6, (value) => startsCapitalised(value)),
  // May-2021, March 2024, Sept. 2020
  shape(`${month}(?:[\\s-]|,\\s)${year}`, 0.6, (value) => startsCapitalised(value)),
  // a lone month name: a date after "in", "since", …; alone it is weak, and "May I …" is no date
  {
    pattern: new RegExp(`${before}${month}${after}`, 'giu'),
    rate(value, text, index) {
      if (!startsCapitalised(value)) return undefined;
      if (monthPrepositions.test(text.slice(Math.max(0, index - 12), index))) return 0.6;
      return ambiguousMonthNames.has(value.toLowerCase().replace(/\.$/, '')) ? undefined : 0.3;
    },
  },
  // 5/2021, 05/21: month and year only, very weak (fractions, scores, versions)
  shape(`(?:0?[1-9]|1[0-2])/(?:${year}|\\d{2})`, 0.2),
  // a lone year of the last two centuries: weak but a quasi-identifier ("born in 1972")
  shape('(?:19|20)\\d{2}', 0.4, (value, text, index) => !/[$€£¥#]\s?$/u.test(text.slice(Math.max(0, index - 2), index)) && text[index + value.length] !== '%'),
];

/**
 * Calendar dates and date-times: ISO 8601, numeric day/month/year in either order (checked against
 * the calendar), month names with a day and/or a year, month names after a preposition, lone years.
 * Bare times ("12:34:56") are not dates.
 */
export const dateTimeRecognizer: Recognizer = {
  name: 'date-time',
  types: ['DATE_TIME'],
  context: ['date', 'dated', 'dob', 'born', 'birth', 'birthday', 'since', 'year', 'day', 'when'],
  find(text) {
    const found: RecognizerMatch[] = [];
    for (const { pattern, rate } of shapes) {
      for (const hit of text.matchAll(pattern)) {
        const score = rate(hit[0], text, hit.index);
        if (score !== undefined) found.push(match('DATE_TIME', text, hit.index, hit.index + hit[0].length, score));
      }
    }
    return found;
  },
};
