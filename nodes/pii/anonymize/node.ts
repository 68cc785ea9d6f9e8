import { z } from 'zod';
import { isSupportedCountry } from 'libphonenumber-js/max';
import { defineNode } from '../../../src/node-kit/index.js';
import { analyze } from './analyze.js';
import { anonymizeText, operatorNames } from './operators.js';
import { entityTypes, type EntityType } from './recognizers/index.js';

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const isOneGrapheme = (value: string) => [...graphemes.segment(value)].length === 1;

const config = z.object({
  entities: z
    .array(z.enum(entityTypes))
    .min(1)
    .default([...entityTypes])
    .describe(`Entity types to detect (Presidio names): ${entityTypes.join(', ')}. Default: all`),
  operator: z
    .enum(operatorNames)
    .default('replace')
    .describe(
      'What replaces each value: replace -> <EMAIL_ADDRESS>, redact -> nothing, mask -> ****1234, ' +
        'hash -> <EMAIL_ADDRESS:sha256 prefix>',
    ),
  maskCharacter: z
    .string()
    .refine(isOneGrapheme, { message: 'must be exactly one character' })
    .default('*')
    .describe('Character that covers a value with the mask operator'),
  maskKeepLast: z
    .number()
    .int()
    .min(0)
    .default(4)
    .describe('Mask operator: characters left readable at the end of a value (never more than half of it)'),
  hashSalt: z
    .string()
    .optional()
    .describe('Hash operator: secret prepended to each value before sha256, so hashes cannot be looked up; use ${ENV_NAME}'),
  minScore: z
    .number()
    .min(0)
    .max(1)
    .default(0.5)
    .describe('Detections scoring below this (0-1) are ignored; very weak shapes such as bare 9-digit SSNs score 0.05'),
  phoneRegion: z
    .string()
    .refine((region) => isSupportedCountry(region.toUpperCase()), {
      message: 'must be an ISO 3166-1 alpha-2 region code such as US, GB, DE or FR',
    })
    .default('US')
    .describe(
      'Region whose national-format phone numbers are recognised ("(415) 555-0132" for US); ' +
        'numbers written with + and a country code are found for every region. ISO 3166-1 alpha-2 code',
    ),
});

export default defineNode({
  type: 'pii.anonymize',
  title: 'PII anonymizer',
  description:
    'Finds e-mail addresses, phone numbers, credit cards (Luhn), IBANs (mod-97), US SSNs, IP addresses and URLs ' +
    'and replaces, redacts, masks or hashes them; also emits the detected entities with their original offsets.',
  inputs: ['text'],
  outputs: ['text', 'entities'],
  config,
  examples: [
    { title: 'Replace every entity with its type', config: { operator: 'replace' } },
    { title: 'Mask cards and IBANs, keeping the last 4 characters', config: { entities: ['CREDIT_CARD', 'IBAN_CODE'], operator: 'mask' } },
    { title: 'Hash e-mails with a secret salt, UK phone numbers', config: { entities: ['EMAIL_ADDRESS', 'PHONE_NUMBER'], operator: 'hash', hashSalt: '${PII_SALT}', phoneRegion: 'GB' } },
  ],
  async process(item, ctx) {
    const { config } = ctx;
    const entities = analyze(item.text, {
      entities: config.entities,
      minScore: config.minScore,
      phoneRegions: [config.phoneRegion.toUpperCase()],
    });
    const counts: Partial<Record<EntityType, number>> = {};
    for (const entity of entities) counts[entity.type] = (counts[entity.type] ?? 0) + 1;
    ctx.setAttributes({ 'pii.count': entities.length, 'pii.types': counts });

    const anonymized = anonymizeText(item.text, entities, config.operator, config);
    const meta = { ...item.meta, piiCount: entities.length };
    await ctx.emit('text', { text: anonymized, meta });
    await ctx.emit('entities', { text: item.text, entities, meta });
  },
});
