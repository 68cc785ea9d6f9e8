import { creditCardRecognizer } from './credit-card.js';
import { cryptoBitcoinRecognizer } from './crypto-bitcoin.js';
import { cryptoEthereumRecognizer } from './crypto-ethereum.js';
import { dateTimeRecognizer } from './date-time.js';
import { emailRecognizer } from './email.js';
import { ibanRecognizer } from './iban.js';
import { ipAddressRecognizer } from './ip-address.js';
import { medicalLicenseRecognizer } from './medical-license.js';
import { namesRecognizer } from './names.js';
import { phoneRecognizer } from './phone.js';
import type { Recognizer } from './types.js';
import { ukNhsRecognizer } from './uk-nhs.js';
import { urlRecognizer } from './url.js';
import { usBankNumberRecognizer } from './us-bank-number.js';
import { usDriverLicenseRecognizer } from './us-driver-license.js';
import { usPassportRecognizer } from './us-passport.js';
import { usSsnRecognizer } from './us-ssn.js';

/** Pattern and checksum recognizers: one file each; adding one means a file and a line here. */
export const patternRecognizers: readonly Recognizer[] = [
  emailRecognizer,
  phoneRecognizer,
  creditCardRecognizer,
  ibanRecognizer,
  usSsnRecognizer,
  usBankNumberRecognizer,
  usDriverLicenseRecognizer,
  usPassportRecognizer,
  ukNhsRecognizer,
  medicalLicenseRecognizer,
  cryptoBitcoinRecognizer,
  cryptoEthereumRecognizer,
  ipAddressRecognizer,
  urlRecognizer,
  dateTimeRecognizer,
];

export { namesRecognizer };
export { type Recognizer, type RecognizerMatch, type RecognizerOptions } from './types.js';
