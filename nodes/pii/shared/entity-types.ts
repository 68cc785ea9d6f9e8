/** The entity types the pii nodes detect, with Presidio's names. */
export const entityTypes = [
  'EMAIL_ADDRESS',
  'PHONE_NUMBER',
  'CREDIT_CARD',
  'IBAN_CODE',
  'US_SSN',
  'US_BANK_NUMBER',
  'US_DRIVER_LICENSE',
  'US_PASSPORT',
  'UK_NHS',
  'MEDICAL_LICENSE',
  'CRYPTO',
  'IP_ADDRESS',
  'URL',
  'DATE_TIME',
  'PERSON',
  'LOCATION',
  'ORGANIZATION',
  'NRP',
] as const;

export type EntityType = (typeof entityTypes)[number];

export function isEntityType(name: string): name is EntityType {
  return (entityTypes as readonly string[]).includes(name);
}

/** Types found by a language model (compromise, or a transformer NER model) rather than a pattern. */
export const nameEntityTypes = ['PERSON', 'LOCATION', 'ORGANIZATION', 'NRP'] as const satisfies readonly EntityType[];

/** One detection: offsets are UTF-16 code units into the text, end exclusive. */
export interface DetectedEntity {
  type: EntityType;
  start: number;
  end: number;
  score: number;
  /** The original value, `text.slice(start, end)`. */
  text: string;
}
