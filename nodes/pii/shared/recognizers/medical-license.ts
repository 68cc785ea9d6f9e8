import { match, type Recognizer, type RecognizerMatch } from './types.js';

/**
 * A US DEA registration number: a registrant-type letter (A-H, J-M, P, R-U, X), the registrant's
 * last-name initial (or 9 for a business), then seven digits, the last a check digit.
 */
const deaPattern = /(?<![\p{L}\p{M}\p{N}_])[A-HJ-MPR-UX][A-Z9]\d{7}(?![\p{L}\p{M}\p{N}_])/gu;

/** A passing check digit: one random candidate in ten passes, hence not 1. */
const validScore = 0.9;

/** (d1 + d3 + d5) + 2 × (d2 + d4 + d6); its last digit is d7. */
export function passesDeaCheck(digits: string): boolean {
  if (!/^\d{7}$/.test(digits)) return false;
  const at = (index: number) => Number(digits[index]);
  const sum = at(0) + at(2) + at(4) + 2 * (at(1) + at(3) + at(5));
  return sum % 10 === at(6);
}

/** Medical licences: US DEA numbers, validated by their check digit. */
export const medicalLicenseRecognizer: Recognizer = {
  name: 'medical-license',
  types: ['MEDICAL_LICENSE'],
  context: ['dea', 'medical', 'certificate', 'license', 'licence', 'registration', 'prescriber', 'physician', 'doctor'],
  find(text) {
    const found: RecognizerMatch[] = [];
    for (const hit of text.matchAll(deaPattern)) {
      if (!passesDeaCheck(hit[0].slice(2))) continue;
      found.push(match('MEDICAL_LICENSE', text, hit.index, hit.index + hit[0].length, validScore));
    }
    return found;
  },
};
