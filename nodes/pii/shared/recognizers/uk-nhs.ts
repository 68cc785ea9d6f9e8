import { match, type Recognizer, type RecognizerMatch } from './types.js';

/** Ten digits, unbroken or as 3-3-4 with one separator (space or dash) used twice. */
const nhsPattern = /(?<![\p{L}\p{M}\p{N}_.,+-])\d{3}([ -]?)\d{3}\1\d{4}(?![\p{L}\p{M}\p{N}_]|[.,-]\d)/gu;

/**
 * A passing mod-11 check digit. One random ten-digit number in eleven passes, so the score stays
 * under a valid phone number's (0.7 + context) and a context word ("NHS", "patient") lifts it.
 */
const validScore = 0.8;

/** The NHS check: weights 10 down to 2 on the first nine digits, 11 - (sum mod 11), 11 -> 0, 10 invalid. */
export function passesNhsCheck(digits: string): boolean {
  if (!/^\d{10}$/.test(digits)) return false;
  let sum = 0;
  for (let index = 0; index < 9; index++) sum += Number(digits[index]) * (10 - index);
  const check = (11 - (sum % 11)) % 11;
  return check !== 10 && check === Number(digits[9]);
}

/** UK National Health Service numbers, validated by their mod-11 check digit. */
export const ukNhsRecognizer: Recognizer = {
  name: 'uk-nhs',
  types: ['UK_NHS'],
  context: ['nhs', 'health', 'patient', 'hospital', 'gp', 'medical', 'national'],
  find(text) {
    const found: RecognizerMatch[] = [];
    for (const hit of text.matchAll(nhsPattern)) {
      const digits = hit[0].replace(/\D/g, '');
      if (/^(\d)\1+$/.test(digits) || !passesNhsCheck(digits)) continue;
      found.push(match('UK_NHS', text, hit.index, hit.index + hit[0].length, validScore));
    }
    return found;
  },
};
