import { z } from 'zod';
import { carriedMeta, defineNode } from '../../../src/node-kit/index.js';
import { detectionFields } from '../shared/detection-config.js';
import { openDetector, type Detector } from '../shared/detector.js';
import { entityAttributes } from '../shared/entity-counts.js';
import { entityTypes } from '../shared/entity-types.js';
import { anonymizeText, operatorNames, usesEncryption } from '../shared/operators.js';
import { readKey } from '../shared/secrets.js';

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const isOneGrapheme = (value: string) => [...graphemes.segment(value)].length === 1;

const operator = z.enum(operatorNames);

const config = z.object({
  ...detectionFields,
  operator: operator
    .default('replace')
    .describe(
      'What replaces each value: replace -> <EMAIL_ADDRESS>, redact -> nothing, mask -> ****1234, ' +
        'hash -> <EMAIL_ADDRESS:sha256 prefix>, encrypt -> <EMAIL_ADDRESS:AES-256-GCM token> that pii.deanonymize reverses',
    ),
  operators: z
    .partialRecord(z.enum(entityTypes), operator)
    .optional()
    .describe('Per-type operator overriding `operator`, e.g. {"CREDIT_CARD": "mask", "PERSON": "encrypt"}'),
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
  keyEnv: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: 'must be an environment variable name such as PIPELANE_PII_KEY' })
    .default('PIPELANE_PII_KEY')
    .describe('Encrypt operator: name of the environment variable holding the 256-bit key (64 hex digits or base64), read at run time'),
});

const secretsKey = 'pii.anonymize.secrets';
const detectorKey = 'pii.anonymize.detector';

interface Secrets {
  hashSalt: string | undefined;
  encryptionKey: Buffer | undefined;
}

export default defineNode({
  type: 'pii.anonymize',
  title: 'PII anonymizer',
  description:
    'Finds personal data (the pii.detect types: e-mails, phones, cards, IBANs, US/UK ids, crypto wallets, IPs, URLs, dates, ' +
    'names, places, organisations) and replaces, redacts, masks, hashes or encrypts it, per type if wanted; encrypted values ' +
    'can be restored by pii.deanonymize. Also emits the detected entities with their original offsets.',
  inputs: ['text'],
  outputs: ['text', 'entities'],
  config,
  examples: [
    { title: 'Replace every entity with its type', config: { operator: 'replace' } },
    { title: 'Mask cards and IBANs, keeping the last 4 characters', config: { entities: ['CREDIT_CARD', 'IBAN_CODE'], operator: 'mask' } },
    { title: 'Hash e-mails with a secret salt, UK phone numbers', config: { entities: ['EMAIL_ADDRESS', 'PHONE_NUMBER'], operator: 'hash', hashSalt: '${PII_SALT}', phoneRegions: ['GB'] } },
    { title: 'Encrypt names reversibly, mask cards, replace the rest', config: { operators: { PERSON: 'encrypt', CREDIT_CARD: 'mask' }, keyEnv: 'PIPELANE_PII_KEY' } },
  ],
  open(ctx) {
    const { config } = ctx;
    const secrets: Secrets = {
      hashSalt: config.hashSalt,
      encryptionKey: usesEncryption(config) ? readKey(config.keyEnv) : undefined,
    };
    ctx.state[secretsKey] = secrets;
    ctx.state[detectorKey] = openDetector(config);
  },
  async process(item, ctx) {
    const { config } = ctx;
    const entities = await (ctx.state[detectorKey] as Detector).detect(item.text, ctx.signal);
    ctx.setAttributes(entityAttributes(entities));
    const secrets = ctx.state[secretsKey] as Secrets;
    const anonymized = anonymizeText(item.text, entities, { ...config, ...secrets });
    // Word boxes and other structured meta would carry the raw values past the redaction.
    const meta = { ...carriedMeta(item.meta), piiCount: entities.length };
    await ctx.emit('text', { text: anonymized, meta });
    await ctx.emit('entities', { text: item.text, entities, meta });
  },
  close(ctx) {
    (ctx.state[detectorKey] as Detector | undefined)?.release();
    delete ctx.state[detectorKey];
    delete ctx.state[secretsKey];
  },
});
