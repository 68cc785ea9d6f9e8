import { z } from 'zod';
import { isSupportedCountry } from 'libphonenumber-js/max';
import { entityTypes } from './entity-types.js';

/** Presidio's default phone regions. */
export const defaultPhoneRegions = ['US', 'GB', 'DE', 'FR', 'IL', 'IN', 'CA', 'BR'] as const;

const region = z.string().refine((code) => isSupportedCountry(code.toUpperCase()), {
  message: 'must be an ISO 3166-1 alpha-2 region code such as US, GB, DE or FR',
});

/** Config fields shared by pii.detect and pii.anonymize (spread into each node's z.object). */
export const detectionFields = {
  entities: z
    .array(z.enum(entityTypes))
    .min(1)
    .default([...entityTypes])
    .describe(`Entity types to detect (Presidio names): ${entityTypes.join(', ')}. Default: all`),
  minScore: z
    .number()
    .min(0)
    .max(1)
    .default(0.4)
    .describe(
      'Detections scoring below this (0-1) are ignored. Checksummed values score 0.8-1; weak shapes with no check ' +
        '(bank, passport, driver licence numbers) score 0.01-0.3 and pass only with a context word nearby (+0.35)',
    ),
  phoneRegions: z
    .array(region)
    .min(1)
    .default([...defaultPhoneRegions])
    .describe(
      'Regions whose national-format phone numbers are recognised ("(415) 555-0132" for US, "06 12 34 56 78" for FR); ' +
        'numbers written with + and a country code are found for every region. ISO 3166-1 alpha-2 codes',
    ),
  contextWords: z
    .partialRecord(z.enum(entityTypes), z.array(z.string().min(1)))
    .optional()
    .describe('Extra context words per type that raise a nearby match\'s score, e.g. {"US_BANK_NUMBER": ["konto"]}'),
  nerModelPath: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Folder of a local token-classification ONNX model (transformers.js layout) for PERSON, LOCATION, ORGANIZATION ' +
        'and NRP instead of the built-in compromise lexicon. Never downloaded',
    ),
};

export const detectionConfig = z.object(detectionFields);
export type DetectionConfig = z.output<typeof detectionConfig>;
