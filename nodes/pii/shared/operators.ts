import { createHash } from 'node:crypto';
import type { DetectedEntity } from './analyze.js';

export const operatorNames = ['replace', 'redact', 'mask', 'hash'] as const;
export type OperatorName = (typeof operatorNames)[number];

export interface OperatorOptions {
  maskCharacter: string;
  maskKeepLast: number;
  hashSalt?: string | undefined;
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

export function applyOperator(operator: OperatorName, entity: DetectedEntity, options: OperatorOptions): string {
  switch (operator) {
    case 'replace':
      return replaceValue(entity);
    case 'redact':
      return '';
    case 'mask':
      return maskValue(entity.text, options.maskCharacter, options.maskKeepLast);
    case 'hash':
      return hashValue(entity, options.hashSalt);
  }
}

/** The text with each entity (sorted, not overlapping) swapped for its operator's output. */
export function anonymizeText(
  text: string,
  entities: readonly DetectedEntity[],
  operator: OperatorName,
  options: OperatorOptions,
): string {
  let result = '';
  let cursor = 0;
  for (const entity of entities) {
    result += text.slice(cursor, entity.start) + applyOperator(operator, entity, options);
    cursor = entity.end;
  }
  return result + text.slice(cursor);
}
