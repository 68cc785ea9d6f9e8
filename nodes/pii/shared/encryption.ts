import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Reversible tokens: `<TYPE:payload>`, payload = base64url(format ‖ iv ‖ ciphertext ‖ tag) with
 * AES-256-GCM, a fresh 96-bit IV per value and the entity type as additional authenticated data
 * (a token relabelled by hand fails). Format 1 stores UTF-8; format 2 UTF-16LE, used only for a
 * value with a lone surrogate, which UTF-8 cannot carry, so every JavaScript string comes back exactly.
 */
const utf8Format = 1;
const utf16Format = 2;
const ivLength = 12;
const tagLength = 16;

/** format + iv + tag + at least one byte of ciphertext, in base64url: 39 characters or more. */
export const tokenPattern = /<([A-Z][A-Z0-9_]*):([A-Za-z0-9_-]{39,})>/g;

export interface EncryptedToken {
  type: string;
  start: number;
  end: number;
  payload: string;
}

const hasLoneSurrogate = (value: string) => /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(value);

export function encryptValue(type: string, value: string, key: Uint8Array): string {
  const format = hasLoneSurrogate(value) ? utf16Format : utf8Format;
  const iv = randomBytes(ivLength);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: tagLength });
  cipher.setAAD(Buffer.from(type, 'utf8'));
  const plain = Buffer.from(value, format === utf8Format ? 'utf8' : 'utf16le');
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  const payload = Buffer.concat([Buffer.from([format]), iv, body, cipher.getAuthTag()]);
  return `<${type}:${payload.toString('base64url')}>`;
}

/** The value inside a token, or undefined when the key is wrong or the token was altered. */
export function decryptToken(token: Pick<EncryptedToken, 'type' | 'payload'>, key: Uint8Array): string | undefined {
  const bytes = Buffer.from(token.payload, 'base64url');
  const format = bytes[0];
  if ((format !== utf8Format && format !== utf16Format) || bytes.length < 1 + ivLength + tagLength + 1) return undefined;
  const iv = bytes.subarray(1, 1 + ivLength);
  const tag = bytes.subarray(bytes.length - tagLength);
  const body = bytes.subarray(1 + ivLength, bytes.length - tagLength);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: tagLength });
    decipher.setAAD(Buffer.from(token.type, 'utf8'));
    decipher.setAuthTag(tag);
    const plain = Buffer.concat([decipher.update(body), decipher.final()]);
    return plain.toString(format === utf8Format ? 'utf8' : 'utf16le');
  } catch {
    return undefined; // authentication failed: reported by the caller with the token's place
  }
}

/** Every token in `text`, in order. */
export function findTokens(text: string): EncryptedToken[] {
  return Array.from(text.matchAll(tokenPattern), (hit) => ({
    type: hit[1]!,
    payload: hit[2]!,
    start: hit.index,
    end: hit.index + hit[0].length,
  }));
}
