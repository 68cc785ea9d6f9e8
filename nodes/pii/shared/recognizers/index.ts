import { creditCardRecognizer } from './credit-card.js';
import { emailRecognizer } from './email.js';
import { ibanRecognizer } from './iban.js';
import { ipAddressRecognizer } from './ip-address.js';
import { phoneRecognizer } from './phone.js';
import type { EntityType, Recognizer } from './types.js';
import { urlRecognizer } from './url.js';
import { usSsnRecognizer } from './us-ssn.js';

/** One recognizer per entity type; adding a type means adding a file and a line here. */
export const recognizers: Record<EntityType, Recognizer> = {
  EMAIL_ADDRESS: emailRecognizer,
  PHONE_NUMBER: phoneRecognizer,
  CREDIT_CARD: creditCardRecognizer,
  IBAN_CODE: ibanRecognizer,
  US_SSN: usSsnRecognizer,
  IP_ADDRESS: ipAddressRecognizer,
  URL: urlRecognizer,
};

export { entityTypes, type EntityType, type Recognizer, type RecognizerMatch, type RecognizerOptions } from './types.js';
