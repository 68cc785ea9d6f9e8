import { findPhoneNumbersInText, type CountryCode } from 'libphonenumber-js/max';
import { isWordCharacterAt, match, type Recognizer, type RecognizerMatch } from './types.js';

/** A number libphonenumber's full metadata calls valid for its region. */
const validScore = 0.7;
/** The same, glued to a word before it ("data630-596-1111", Presidio issue #1301). */
const gluedScore = 0.5;

/**
 * libphonenumber's matcher finds the candidates (national format for each configured region,
 * international format with a leading + for every region). It runs at leniency POSSIBLE and then
 * keeps only numbers its full metadata calls valid: that is leniency VALID minus the "no letter
 * right before" rule, which made Presidio miss "data630-596-1111" (issue #1301).
 */
export const phoneRecognizer: Recognizer = {
  type: 'PHONE_NUMBER',
  find(text, options) {
    const bySpan = new Map<string, RecognizerMatch>();
    for (const region of options.phoneRegions) {
      // `extended` runs the matcher at leniency POSSIBLE
      const found = findPhoneNumbersInText(text, { defaultCountry: region as CountryCode, extended: true });
      for (const { number, startsAt, endsAt } of found) {
        if (!number.isValid()) continue;
        const key = `${startsAt}:${endsAt}`;
        if (bySpan.has(key)) continue;
        const score = isWordCharacterAt(text, startsAt - 1) ? gluedScore : validScore;
        bySpan.set(key, match(text, startsAt, endsAt, score));
      }
    }
    return [...bySpan.values()];
  },
};
