import { findPhoneNumbersInText, type CountryCode, type PhoneNumber } from 'libphonenumber-js/max';
import { isWordCharacterAt, match, type Recognizer, type RecognizerMatch } from './types.js';

/** Valid, and written the way the number is formatted nationally or internationally. */
const wellFormedScore = 0.7;
/** Valid, glued to a word before it ("data630-596-1111", Presidio issue #1301). */
const gluedScore = 0.5;
/** Valid, trunk prefix or country code present, grouped oddly ("078-05-1126" read as German 07805 1126). */
const oddlyGroupedScore = 0.35;
/** Valid only with a trunk prefix the text lacks ("191280342" as French 01 91 28 03 42, "5-20-2021"). */
const incompleteScore = 0.3;

/** Positions, counted in digits from the end, where a new group of digits starts. */
function groupBoundaries(written: string): Set<number> {
  const boundaries = new Set<number>();
  let digitsFromEnd = 0;
  let inGroup = false;
  for (let index = written.length - 1; index >= 0; index--) {
    const isDigit = written[index]! >= '0' && written[index]! <= '9';
    if (isDigit) {
      if (!inGroup && digitsFromEnd > 0) boundaries.add(digitsFromEnd);
      digitsFromEnd++;
    }
    inGroup = isDigit;
  }
  return boundaries;
}

/**
 * How well the written form supports the reading: its digits must end with those of the national
 * or international format (so no trunk prefix was made up), and its groups must fall where that
 * format's groups do (a leading "1" or international prefix may be split off).
 */
export function phoneScore(written: string, number: PhoneNumber): number {
  const digits = written.replace(/\D/g, '');
  const writtenBoundaries = groupBoundaries(written);
  let complete = false;
  for (const format of [number.format('NATIONAL'), number.format('INTERNATIONAL')]) {
    const formatDigits = format.replace(/\D/g, '');
    if (!digits.endsWith(formatDigits)) continue;
    complete = true;
    const formatBoundaries = groupBoundaries(format);
    if ([...writtenBoundaries].every((boundary) => boundary >= formatDigits.length || formatBoundaries.has(boundary))) return wellFormedScore;
  }
  return complete ? oddlyGroupedScore : incompleteScore;
}

/**
 * libphonenumber's matcher finds the candidates (national format for each configured region,
 * international format with a leading + for every region) at leniency POSSIBLE; numbers its full
 * metadata calls valid are kept. That is leniency VALID minus the "no letter right before" rule,
 * which made Presidio miss "data630-596-1111" (issue #1301). A span read by several regions keeps
 * its best reading: "06 12 34 56 78" is well-formed French but odd German.
 */
export const phoneRecognizer: Recognizer = {
  name: 'phone',
  types: ['PHONE_NUMBER'],
  context: ['phone', 'telephone', 'tel', 'cell', 'cellphone', 'mobile', 'call', 'fax', 'whatsapp'],
  find(text, options) {
    const bySpan = new Map<string, RecognizerMatch>();
    for (const region of options.phoneRegions) {
      // `extended` runs the matcher at leniency POSSIBLE
      const found = findPhoneNumbersInText(text, { defaultCountry: region as CountryCode, extended: true });
      for (const { number, startsAt, endsAt } of found) {
        if (!number.isValid()) continue;
        const key = `${startsAt}:${endsAt}`;
        const score = Math.min(phoneScore(text.slice(startsAt, endsAt), number), isWordCharacterAt(text, startsAt - 1) ? gluedScore : 1);
        if ((bySpan.get(key)?.score ?? -1) >= score) continue;
        bySpan.set(key, match('PHONE_NUMBER', text, startsAt, endsAt, score));
      }
    }
    return [...bySpan.values()];
  },
};
