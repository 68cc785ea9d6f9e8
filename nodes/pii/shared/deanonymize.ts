import { PipelaneError } from '../../../src/node-kit/index.js';
import { decryptToken, findTokens, type EncryptedToken } from './encryption.js';

/** A token shown in a message: its type and the first characters of its payload, never a value. */
const describe = (token: EncryptedToken) => `<${token.type}:${token.payload.slice(0, 8)}…> at offset ${token.start}`;

/**
 * `text` with every given token replaced by its decrypted value. A token the key cannot open (wrong
 * key, altered or cut short) is an error naming the token's place and the key's variable.
 */
export function restoreTokens(text: string, tokens: readonly EncryptedToken[], key: Uint8Array, keyEnv: string): string {
  let result = '';
  let cursor = 0;
  for (const token of [...tokens].sort((a, b) => a.start - b.start)) {
    const value = decryptToken(token, key);
    if (value === undefined) {
      throw new PipelaneError('PII_DECRYPT_FAILED', `Token ${describe(token)} cannot be decrypted with the key in ${keyEnv}.`, {
        hint: `Set ${keyEnv} to the key the text was anonymized with; a token edited or cut short cannot be restored.`,
      });
    }
    result += text.slice(cursor, token.start) + value;
    cursor = token.end;
  }
  return result + text.slice(cursor);
}

/**
 * The tokens at the given spans (Presidio's deanonymize takes the spans of the anonymized text).
 * A span that does not hold exactly one token is an error naming the span.
 */
export function tokensAtSpans(text: string, spans: ReadonlyArray<{ type: string; start: number; end: number }>): EncryptedToken[] {
  const tokens = findTokens(text);
  return spans.map((span, index) => {
    const token = tokens.find((candidate) => candidate.start === span.start && candidate.end === span.end);
    if (token === undefined || token.type !== span.type) {
      throw new PipelaneError('PII_TOKEN_NOT_FOUND', `Entity ${index} (${span.type}, ${span.start}-${span.end}) does not cover an encrypted ${span.type} token in the text.`, {
        hint: 'Give the spans of the encrypted tokens in the anonymized text, or send the text on the text lane to restore every token.',
        path: `/entities/${index}`,
      });
    }
    return token;
  });
}

