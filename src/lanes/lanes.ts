import { z } from 'zod';
import {
  answerItemSchema,
  audioItemSchema,
  documentsItemSchema,
  entitiesItemSchema,
  fileItemSchema,
  imageItemSchema,
  questionItemSchema,
  tableItemSchema,
  textItemSchema,
  videoItemSchema,
} from './schemas.js';

const embeddingAttributes = z
  .object({
    dim: z.number().int().positive().describe('Embedding dimension'),
    model: z.string().optional().describe('Embedding model id'),
  })
  .optional()
  .describe('Set by embed.* nodes; stores require a matching dimension');

/**
 * The one definition of every lane: its payload schema and the static attributes the validator
 * propagates along edges. Validator, engine, MCP schemas and docs all read this table.
 */
export const lanes = {
  file: {
    description: 'A raw input file (bytes or a path) with its detected mime type',
    payload: fileItemSchema,
    attributes: z.object({ mimes: z.array(z.string()).optional().describe('Accepted mime types') }),
  },
  text: {
    description: 'A piece of text with provenance (source, page, offset)',
    payload: textItemSchema,
    attributes: z.object({ language: z.string().optional() }),
  },
  documents: {
    description: 'A batch of documents (chunks) with stable ids, metadata and optional embeddings',
    payload: documentsItemSchema,
    attributes: z.object({ embedding: embeddingAttributes }),
  },
  table: {
    description: 'Rows and named columns',
    payload: tableItemSchema,
    attributes: z.object({ columns: z.array(z.string()).optional() }),
  },
  question: {
    description: 'A question, optionally with chat history, its embedding and retrieved context documents',
    payload: questionItemSchema,
    attributes: z.object({ embedding: embeddingAttributes }),
  },
  answer: {
    description: 'An answer with optional citations and token usage',
    payload: answerItemSchema,
    attributes: z.object({}),
  },
  image: {
    description: 'An encoded image (png, jpeg, tiff, gif, webp) with page or timestamp provenance',
    payload: imageItemSchema,
    attributes: z.object({ mime: z.string().optional() }),
  },
  audio: {
    description: 'Encoded audio (bytes or a path)',
    payload: audioItemSchema,
    attributes: z.object({ mime: z.string().optional() }),
  },
  video: {
    description: 'Encoded video (bytes or a path)',
    payload: videoItemSchema,
    attributes: z.object({ mime: z.string().optional() }),
  },
  entities: {
    description: 'Text with detected entities (type, offsets, score)',
    payload: entitiesItemSchema,
    attributes: z.object({ entityTypes: z.array(z.string()).optional() }),
  },
} as const;

export type LaneName = keyof typeof lanes;
export const laneNames = Object.keys(lanes) as LaneName[];

export type LanePayload<L extends LaneName> = z.output<(typeof lanes)[L]['payload']>;
export type LaneAttributes<L extends LaneName> = z.output<(typeof lanes)[L]['attributes']>;

export type FileItem = LanePayload<'file'>;
export type TextItem = LanePayload<'text'>;
export type DocumentsItem = LanePayload<'documents'>;
export type Document = DocumentsItem[number];
export type TableItem = LanePayload<'table'>;
export type QuestionItem = LanePayload<'question'>;
export type AnswerItem = LanePayload<'answer'>;
export type ImageItem = LanePayload<'image'>;
export type AudioItem = LanePayload<'audio'>;
export type VideoItem = LanePayload<'video'>;
export type EntitiesItem = LanePayload<'entities'>;
export type Entity = EntitiesItem['entities'][number];

export function isLaneName(name: string): name is LaneName {
  return Object.hasOwn(lanes, name);
}

/** JSON Schema of a lane's payload, for MCP tool schemas and docs (bytes shown as an open schema). */
export function lanePayloadJsonSchema(lane: LaneName): Record<string, unknown> {
  return z.toJSONSchema(lanes[lane].payload, { unrepresentable: 'any', io: 'input' }) as Record<string, unknown>;
}
