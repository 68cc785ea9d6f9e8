import { z } from 'zod';
import { defineNode } from '../../../src/node-kit/index.js';
import { restoreTokens, tokensAtSpans } from '../shared/deanonymize.js';
import { findTokens } from '../shared/encryption.js';
import { readKey } from '../shared/secrets.js';

const config = z.object({
  keyEnv: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: 'must be an environment variable name such as PIPELANE_PII_KEY' })
    .default('PIPELANE_PII_KEY')
    .describe('Name of the environment variable holding the key pii.anonymize encrypted with, read at run time'),
});

const keyState = 'pii.deanonymize.key';

export default defineNode({
  type: 'pii.deanonymize',
  title: 'PII deanonymizer',
  description:
    'Restores values that pii.anonymize encrypted (<TYPE:token>) using the same key: on the text lane every token is ' +
    'decrypted; on the entities lane only the listed spans of the anonymized text. Other operators are one-way.',
  inputs: ['text', 'entities'],
  outputs: ['text'],
  config,
  examples: [{ title: 'Restore an LLM answer written over anonymized text', config: { keyEnv: 'PIPELANE_PII_KEY' } }],
  open(ctx) {
    ctx.state[keyState] = readKey(ctx.config.keyEnv);
  },
  async process(item, ctx) {
    const key = ctx.state[keyState] as Buffer;
    const tokens = 'entities' in item ? tokensAtSpans(item.text, item.entities) : findTokens(item.text);
    const text = restoreTokens(item.text, tokens, key, ctx.config.keyEnv);
    ctx.setAttributes({ 'pii.restored': tokens.length });
    await ctx.emit('text', { text, meta: { ...item.meta } });
  },
  close(ctx) {
    delete ctx.state[keyState];
  },
});
