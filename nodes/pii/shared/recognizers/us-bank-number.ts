import { match, type Recognizer, type RecognizerMatch } from './types.js';

/** 8 to 17 digits, alone: not part of a longer number, a decimal, a +country code or a word. */
const accountPattern = /(?<![\p{L}\p{M}\p{N}_+.,-])\d{8,17}(?![\p{L}\p{M}\p{N}_]|[.,-]\d)/gu;

/**
 * Shape alone says little (any long number fits), so a bare run scores 0.05 and only counts once a
 * context word ("account", "bank", "checking" …) raises it over the threshold.
 */
const weakScore = 0.05;

/** US bank account numbers: 8 to 17 digits with no check digit, found through context words. */
export const usBankNumberRecognizer: Recognizer = {
  name: 'us-bank-number',
  types: ['US_BANK_NUMBER'],
  context: ['bank', 'banking', 'account', 'acct', 'checking', 'savings', 'saving', 'deposit', 'debit', 'routing'],
  find(text) {
    const found: RecognizerMatch[] = [];
    for (const hit of text.matchAll(accountPattern)) {
      if (/^(\d)\1+$/.test(hit[0])) continue;
      found.push(match('US_BANK_NUMBER', text, hit.index, hit.index + hit[0].length, weakScore));
    }
    return found;
  },
};
