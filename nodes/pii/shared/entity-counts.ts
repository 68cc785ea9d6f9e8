import type { DetectedEntity, EntityType } from './entity-types.js';

/** Span attributes every pii node sets: how many entities, and how many of each type. */
export function entityAttributes(entities: readonly Pick<DetectedEntity, 'type'>[]): Record<string, unknown> {
  const counts: Partial<Record<EntityType, number>> = {};
  for (const entity of entities) counts[entity.type] = (counts[entity.type] ?? 0) + 1;
  return { 'pii.count': entities.length, 'pii.types': counts };
}
