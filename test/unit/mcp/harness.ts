import { mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import pino from 'pino';
import { createEngine } from '../../../src/engine/index.js';
import type { McpLimits } from '../../../src/mcp/limits.js';
import { createMcpServer, type McpDeps } from '../../../src/mcp/server.js';
import { createRegistry, fakeNode, PipelaneError, type AnyNodeDefinition } from '../../../src/node-kit/index.js';
import { openTraceStore, type TraceStore } from '../../../src/trace/index.js';

/** Signals the cancel test waits on: resolved when the slow node has started an item. */
export const slowStarted: { promise: Promise<void>; resolve: () => void } = deferred();

export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

/** A source that reads the run input (a file path or text) and emits one text item per line. */
const source = fakeNode({
  type: 'source.lines',
  outputs: ['text'],
  process: async (input, ctx) => {
    const { path, text } = input as { path?: string; text?: string };
    const content = path ? await readFile(path, 'utf8') : (text ?? '');
    for (const line of content.split('\n')) await ctx.emit('text', { text: line, meta: { source: path ?? 'text' } });
  },
});

/** Stands in for source.file in plan_path skeletons: emits file or image. */
const fileSource = fakeNode({ type: 'source.file', outputs: ['file', 'image'] });

const upper = fakeNode({
  type: 'transform.upper',
  inputs: ['text'],
  outputs: ['text'],
  process: async (item, ctx) => {
    const { text, meta } = item as { text: string; meta: Record<string, unknown> };
    await ctx.emit('text', { text: text.toUpperCase(), meta });
  },
});

const ocr = fakeNode({ type: 'ocr.fake', inputs: ['image'], outputs: ['text'] });

const chunk = fakeNode({
  type: 'chunk.fake',
  inputs: ['text'],
  outputs: ['documents'],
  process: async (item, ctx) => {
    const { text, meta } = item as { text: string; meta: Record<string, unknown> };
    await ctx.emit('documents', [{ id: `c-${text.length}`, text, metadata: meta }]);
  },
});

/** Echoes its config into the text it emits (for the secret-redaction test). */
const echoConfig = fakeNode({
  type: 'transform.echo-config',
  inputs: ['text'],
  outputs: ['text'],
  process: async (item, ctx) => {
    const { meta } = item as { meta: Record<string, unknown> };
    await ctx.emit('text', { text: JSON.stringify(ctx.config), meta });
  },
});

const failing = fakeNode({
  type: 'transform.fail',
  inputs: ['text'],
  process: () => {
    throw new PipelaneError('FAKE_BROKEN', 'This node cannot read the text.', { hint: 'Give it other text.' });
  },
});

/** Waits until its item is aborted (or 30 s pass). */
const slow = fakeNode({
  type: 'transform.slow',
  inputs: ['text'],
  timeoutMs: 60_000,
  process: async (_item, ctx) => {
    slowStarted.resolve();
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, 30_000);
      ctx.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(ctx.signal.reason ?? new Error('aborted'));
      }, { once: true });
    });
  },
});

/** Waits `ms`; an abort of `signal` rejects at once with its reason. */
export function sleepFor(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason ?? new Error('aborted'));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Sleeps `config.ms` per item (default 1000), then passes the item on; an abort ends the sleep at once. */
export const sleep = fakeNode({
  type: 'transform.sleep',
  inputs: ['text'],
  outputs: ['text'],
  timeoutMs: 600_000,
  process: async (item, ctx) => {
    await sleepFor(Number((ctx.config as { ms?: number }).ms ?? 1000), ctx.signal);
    await ctx.emit('text', item as never);
  },
});

export const fakeNodes: AnyNodeDefinition[] = [source, fileSource, upper, ocr, chunk, echoConfig, failing, slow, sleep];

export interface HarnessOptions {
  /** Node definitions of the registry (default: fakeNodes). */
  nodes?: AnyNodeDefinition[];
  limits?: Partial<McpLimits>;
}

export interface Harness {
  client: Client;
  traceStore: TraceStore;
  workspaceRoot: string;
  /** A folder next to the workspace, outside it. */
  outsideRoot: string;
  /** What the server was made from: another server on the same deps is another session on the same workspace. */
  deps: McpDeps;
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  close(): Promise<void>;
}

/** A real SDK client linked in memory to the Pipelane server over throwaway nodes. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const base = await realpath(await mkdtemp(join(tmpdir(), 'pipelane-mcp-')));
  const workspaceRoot = join(base, 'workspace');
  const outsideRoot = join(base, 'outside');
  await mkdir(workspaceRoot);
  await mkdir(outsideRoot);
  const registry = createRegistry(options.nodes ?? fakeNodes);
  const traceStore = openTraceStore({ file: ':memory:' });
  const logger = pino({ level: 'silent' });
  const engine = createEngine({ registry, traceStore, logger, workspaceRoot });
  const deps: McpDeps = { registry, engine, traceStore, workspaceRoot, logger, outputsDir: join(base, 'outputs'), ...(options.limits ? { limits: options.limits } : {}) };
  const server = createMcpServer(deps);
  const client = new Client({ name: 'pipelane-unit-test', version: '0.0.0' });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(serverTransport), client.connect(clientTransport)]);
  await client.listTools(); // caches the output schemas, so every callTool checks structuredContent against them
  return {
    client,
    traceStore,
    workspaceRoot,
    outsideRoot,
    deps,
    call: async (name, args = {}) => (await client.callTool({ name, arguments: args })) as CallToolResult,
    async close() {
      await client.close();
      await server.close();
      traceStore.close();
      await rm(base, { recursive: true, force: true });
    },
  };
}

export async function writeWorkspaceFile(harness: Harness, name: string, content: string): Promise<string> {
  const path = join(harness.workspaceRoot, name);
  await writeFile(path, content);
  return path;
}

export function structured(result: CallToolResult): Record<string, unknown> {
  return (result.structuredContent ?? {}) as Record<string, unknown>;
}

/** A valid pipeline: lines -> upper, collected as `out`. */
export function linesPipeline(extraNodes: unknown[] = [], from = 'up'): Record<string, unknown> {
  return {
    version: 1,
    name: 'lines',
    nodes: [
      { id: 'in', type: 'source.lines' },
      { id: 'up', type: 'transform.upper', inputs: [{ lane: 'text', from: 'in' }] },
      ...extraNodes,
    ],
    outputs: [{ lane: 'text', from, as: 'out' }],
  };
}

/** An in-band error: isError, a typed code with message and hint, and the same facts in the text copy. */
export function assertInBandError(result: CallToolResult, code: string): Record<string, unknown> {
  if (result.isError !== true) throw new Error(`expected isError, got ${JSON.stringify(result)}`);
  const content = structured(result);
  if (content.code !== code) throw new Error(`expected code ${code}, got ${JSON.stringify(content)}`);
  if (typeof content.message !== 'string' || typeof content.hint !== 'string' || !content.hint) {
    throw new Error(`error without message or hint: ${JSON.stringify(content)}`);
  }
  const text = result.content.find((part) => part.type === 'text');
  if (!text || text.type !== 'text' || !text.text.includes(code)) throw new Error('text copy lacks the code');
  return content;
}
