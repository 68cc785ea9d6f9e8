import { digitGroupRuns, type DigitGroup } from './digit-groups.js';
import { match, type Recognizer, type RecognizerMatch } from './types.js';

export function passesLuhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let index = digits.length - 1; index >= 0; index--) {
    let value = digits.charCodeAt(index) - 48;
    if (double) {
      value *= 2;
      if (value > 9) value -= 9;
    }
    sum += value;
    double = !double;
  }
  return sum % 10 === 0;
}

/**
 * Issuer prefixes in use: 1 (UATP), 2 (Mastercard 2-series, Mir), 3 (Amex, Diners, JCB), 4 (Visa),
 * 5 (Mastercard, Maestro), 6 (Discover, UnionPay, Maestro). Like Presidio, "1" followed by exactly
 * twelve digits is left out: it is the shape of a millisecond Unix timestamp.
 */
function isCardNumber(digits: string): boolean {
  if (digits.length < 13 || digits.length > 19) return false;
  if (!/^[1-6]/.test(digits)) return false;
  if (digits.length === 13 && digits.startsWith('1')) return false;
  if (/^(\d)\1+$/.test(digits)) return false;
  return passesLuhn(digits);
}

const isCardGroup = (group: DigitGroup) => group.digits.length >= 3 && group.digits.length <= 8;

/**
 * 13 to 19 digits, unbroken or in groups of 3 to 8 joined by single spaces or dashes, that pass
 * Luhn. In a longer run of groups ("4012888888881881 4012-8888-8888-1881") each window of whole
 * groups is tried from the left, longest first.
 */
export const creditCardRecognizer: Recognizer = {
  name: 'credit-card',
  types: ['CREDIT_CARD'],
  context: ['card', 'credit', 'debit', 'visa', 'mastercard', 'amex', 'payment', 'cc'],
  find(text) {
    const found: RecognizerMatch[] = [];
    for (const groups of digitGroupRuns(text, ' -')) {
      let first = 0;
      while (first < groups.length) {
        const last = longestCard(groups, first);
        if (last < 0) {
          first++;
          continue;
        }
        found.push(match('CREDIT_CARD', text, groups[first]!.start, groups[last]!.end, 1));
        first = last + 1;
      }
    }
    return found;
  },
};

function longestCard(groups: DigitGroup[], first: number): number {
  const windows: Array<{ last: number; digits: string }> = [];
  let digits = '';
  for (let last = first; last < groups.length; last++) {
    if (last > first && !(isCardGroup(groups[last]!) && isCardGroup(groups[first]!))) break;
    digits += groups[last]!.digits;
    if (digits.length > 19) break;
    windows.push({ last, digits });
  }
  for (const window of windows.reverse()) {
    if (isCardNumber(window.digits)) return window.last;
  }
  return -1;
}
