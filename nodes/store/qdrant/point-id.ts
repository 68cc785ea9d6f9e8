import { createHash } from 'node:crypto';

/** RFC 4122 namespace for URLs; Pipelane's own namespace is derived from it once. */
const urlNamespace = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

/** A name-based (version 5, SHA-1) UUID of `name` in `namespace` (RFC 4122 §4.3). */
export function uuidV5(name: string, namespace: string): string {
  const namespaceBytes = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  if (namespaceBytes.length !== 16) throw new Error(`not a UUID: ${namespace}`);
  const hash = createHash('sha1').update(namespaceBytes).update(name, 'utf8').digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const pipelaneNamespace = uuidV5('https://github.com/pipelane/pipelane#store.qdrant', urlNamespace);

/**
 * Qdrant point ids must be unsigned integers or UUIDs: a document id maps to the same UUIDv5
 * every time (so upserts replace), and the original id is kept in the payload.
 */
export function pointId(documentId: string): string {
  return uuidV5(documentId, pipelaneNamespace);
}
