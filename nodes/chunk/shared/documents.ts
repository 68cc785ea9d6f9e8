import { createHash } from 'node:crypto';
import { carriedMeta, type Document, type TextItem } from '../../../src/node-kit/index.js';
import type { Span } from './segments.js';

/** Stable id: the same source, offset and text always give the same id. */
export function documentId(source: string, start: number, text: string): string {
  return createHash('sha256').update(`${source}\u0000${start}\u0000${text}`, 'utf8').digest('hex').slice(0, 16);
}

/** A chunk as a span of the input text with the node's own metadata (heading path, symbol, tokens). */
export interface ChunkSpan extends Span {
  metadata?: Record<string, unknown>;
}

/**
 * Documents for chunks of `text`: `text.slice(start, end)` as text, a stable id, the input's scalar
 * meta (source, page; not OCR word boxes) with `offset` moved to the chunk, then the node's metadata, `start`, `end`,
 * `chunkIndex` and `chunkCount`.
 */
export function toDocuments(text: string, meta: TextItem['meta'], chunks: readonly ChunkSpan[]): Document[] {
  return chunks.map((chunk, chunkIndex) => {
    const chunkText = text.slice(chunk.start, chunk.end);
    return {
      id: documentId(meta.source ?? '', chunk.start, chunkText),
      text: chunkText,
      metadata: {
        ...carriedMeta(meta),
        offset: (meta.offset ?? 0) + chunk.start,
        ...chunk.metadata,
        start: chunk.start,
        end: chunk.end,
        chunkIndex,
        chunkCount: chunks.length,
      },
    };
  });
}
