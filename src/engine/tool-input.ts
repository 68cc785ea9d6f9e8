import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import { lanePayloadJsonSchema, lanes, type LaneName } from '../lanes/index.js';
import { PipelaneError, isSourceNode, type AnyNodeDefinition, type RunInput } from '../node-kit/index.js';
import { confinePath } from '../mcp/workspace.js';

/** Lanes whose items carry bytes: a model gives a workspace path and the item is read from it. */
const BYTE_LANES: ReadonlySet<LaneName> = new Set(['file', 'image', 'audio', 'video']);

const pathProperty = { type: 'string', description: 'Path of a file inside the workspace (relative to its root)' };

/**
 * The JSON Schema of what a model passes to a node used as a tool: the payload of the node's first
 * input lane with `meta` optional (the model has no provenance to give), a list lane wrapped in an
 * object (tool arguments are objects), a byte lane as a workspace path, a source as text or a path.
 */
export function nodeToolInputSchema(definition: AnyNodeDefinition): Record<string, unknown> {
  const lane = definition.inputs[0] as LaneName | undefined;
  if (lane === undefined || isSourceNode(definition)) {
    return {
      type: 'object',
      description: 'Give the text to process, or the path of a file in the workspace.',
      properties: { text: { type: 'string', description: 'Literal text' }, path: pathProperty },
    };
  }
  if (BYTE_LANES.has(lane)) return { type: 'object', properties: { path: pathProperty }, required: ['path'] };
  const { $schema: _ignored, ...schema } = payloadSchema(lane);
  if (!isObjectLane(lane)) return { type: 'object', properties: { [lane]: schema }, required: [lane] };
  const required = Array.isArray(schema.required) ? schema.required.filter((name) => name !== 'meta') : [];
  return { ...schema, required };
}

export interface ToolItem {
  item: unknown;
  lane: LaneName | undefined;
}

/** Turns a model's arguments into the item the node's `process` gets, or TOOL_ARGUMENTS_INVALID. */
export async function nodeToolItem(toolName: string, definition: AnyNodeDefinition, args: Record<string, unknown>, workspaceRoot: string): Promise<ToolItem> {
  const lane = definition.inputs[0] as LaneName | undefined;
  if (lane === undefined || isSourceNode(definition)) return { item: await runInputOf(toolName, args, workspaceRoot), lane: undefined };
  if (BYTE_LANES.has(lane)) return { item: await byteItem(toolName, lane, args, workspaceRoot), lane };
  // The model has no provenance to give: an empty meta stands in for it.
  const candidate = isObjectLane(lane) ? { meta: {}, ...args } : args[lane];
  const parsed = lanes[lane].payload.safeParse(candidate);
  if (parsed.success) return { item: parsed.data, lane };
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? issue.path.join('.') : 'arguments';
  throw invalidArguments(toolName, `${where}: ${issue?.message ?? 'invalid'}`);
}

const schemaCache = new Map<LaneName, Record<string, unknown>>();

function payloadSchema(lane: LaneName): Record<string, unknown> {
  if (!schemaCache.has(lane)) schemaCache.set(lane, lanePayloadJsonSchema(lane));
  return schemaCache.get(lane)!;
}

function isObjectLane(lane: LaneName): boolean {
  return payloadSchema(lane).type === 'object';
}

async function runInputOf(toolName: string, args: Record<string, unknown>, workspaceRoot: string): Promise<RunInput> {
  if (typeof args.text === 'string' && args.text !== '') return { text: args.text };
  if (typeof args.path === 'string' && args.path !== '') return { path: await confined(args.path, workspaceRoot) };
  throw invalidArguments(toolName, 'give "text" (a string) or "path" (a file in the workspace)');
}

async function byteItem(toolName: string, lane: LaneName, args: Record<string, unknown>, workspaceRoot: string): Promise<unknown> {
  if (typeof args.path !== 'string' || args.path === '') throw invalidArguments(toolName, 'path: give the path of a file in the workspace');
  const path = await confined(args.path, workspaceRoot);
  const bytes = new Uint8Array(await readFile(path));
  const mime = (await fileTypeFromBuffer(bytes))?.mime ?? 'application/octet-stream';
  const meta = { source: args.path };
  if (lane === 'image') return { bytes, mime, meta };
  if (lane === 'file') return { name: basename(path), mime, bytes, path, size: (await stat(path)).size, meta };
  return { bytes, path, mime, meta };
}

async function confined(userPath: string, workspaceRoot: string): Promise<string> {
  return confinePath(workspaceRoot, userPath, { argument: 'path' });
}

export function invalidArguments(toolName: string, detail: string): PipelaneError {
  return new PipelaneError('TOOL_ARGUMENTS_INVALID', `Tool "${toolName}" got arguments that do not fit its input schema: ${detail}.`, {
    hint: `Call "${toolName}" again with arguments matching its input schema.`,
  });
}
