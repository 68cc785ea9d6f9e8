import { createHash } from 'node:crypto';
import { encryptValue } from './encryption.js';
import type { DetectedEntity, EntityType } from './entity-types.js';

export const operatorNames = ['replace', 'redact', 'mask', 'hash', 'encrypt'] as const;
export type OperatorName = (typeof operatorNames)[number];

export interface OperatorOptions {
  /** The operator for every type without an override. */
  operator: OperatorName;
  /** Per-type overrides: `{ CREDIT_CARD: 'mask', PERSON: 'encrypt' }`. */
  operators?: Partial<Record<EntityType, OperatorName>> | undefined;
  maskCharacter: string;
  maskKeepLast: number;
  hashSalt?: string | undefined;
  /** The 256-bit key; needed when any type uses `encrypt`. */
  encryptionKey?: Uint8Array | undefined;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** `<TYPE>` */
export function replaceValue(entity: Pick<DetectedEntity, 'type'>): string {
  return `<${entity.type}>`;
}

/**
 * Every character (grapheme) but the last `keepLast` becomes `character`. At least half the value
 * is always masked, so a short value ("::", a 4-digit code) is never left readable.
 */
export function maskValue(value: string, character: string, keepLast: number): string {
  const parts = Array.from(graphemes.segment(value), (segment) => segment.segment);
  const keep = Math.min(keepLast, Math.floor(parts.length / 2));
  return character.repeat(parts.length - keep) + parts.slice(parts.length - keep).join('');
}

/** `<TYPE:h>` with h the first 16 hex digits of sha256(salt + value). */
export function hashValue(entity: Pick<DetectedEntity, 'type' | 'text'>, salt = ''): string {
  const digest = createHash('sha256').update(salt + entity.text, 'utf8').digest('hex').slice(0, 16);
  return `<${entity.type}:${digest}>`;
}

export function operatorFor(type: EntityType, options: Pick<OperatorOptions, 'operator' | 'operators'>): OperatorName {
  return options.operators?.[type] ?? options.operator;
}

/** True when some type would be encrypted, so a key is needed. */
export function usesEncryption(options: Pick<OperatorOptions, 'operator' | 'operators'>): boolean {
  return options.operator === 'encrypt' || Object.values(options.operators ?? {}).includes('encrypt');
}

export function applyOperator(entity: DetectedEntity, options: OperatorOptions): string {
  const operator = operatorFor(entity.type, options);
  switch (operator) {
    case 'replace':
      return replaceValue(entity);
    case 'redact':
      return '';
    case 'mask':
      return maskValue(entity.text, options.maskCharacter, options.maskKeepLast);
    case 'hash':
      return hashValue(entity, options.hashSalt);
    case 'encrypt':
      if (options.encryptionKey === undefined) throw new Error('encrypt operator used without a key (the node reads it in open())');
      return encryptValue(entity.type, entity.text, options.encryptionKey);
  }
}

/** The text with each entity (sorted, not overlapping) swapped for its operator's output. */
export function anonymizeText(text: string, entities: readonly DetectedEntity[], options: OperatorOptions): string {
  let result = '';
  let cursor = 0;
  for (const entity of entities) {
    result += text.slice(cursor, entity.start) + applyOperator(entity, options);
    cursor = entity.end;
  }
  return result + text.slice(cursor);
}
