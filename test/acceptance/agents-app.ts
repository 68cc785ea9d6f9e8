import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import pino from 'pino';
import agentRun from '../../nodes/agent/run/node.js';
import chunkText from '../../nodes/chunk/text/node.js';
import llmChat from '../../nodes/llm/chat/node.js';
import piiAnonymize from '../../nodes/pii/anonymize/node.js';
import sourceText from '../../nodes/source/text/node.js';
import { createEngine } from '../../src/engine/index.js';
import { createMcpServer } from '../../src/mcp/server.js';
import { createRegistry } from '../../src/node-kit/index.js';
import { openTraceStore, type SpanRecord, type TraceStore } from '../../src/trace/index.js';
import { startAnthropicMessagesServer } from '../doubles/anthropic-messages-server.js';
import type { LlmDoubleRequest, LlmDoubleServer, Reply, Responder } from '../doubles/llm-double-kit.js';
import { startOpenAIChatServer } from '../doubles/openai-chat-server.js';

/**
 * The app as `pipelane mcp` composes it (registry, SQLite trace store in the workspace, engine with
 * the workspace's saved pipelines, the MCP server), with a real SDK client linked in memory, a
 * debug-level logger writing into `logs`, and the OpenAI and Anthropic wire doubles guarded by a
 * fixed API key that only the environment holds.
 */

export const API_KEY = 'sk-acceptance-agents-5f4e3d2c1b0a9988';
export const KEY_ENV = 'PIPELANE_ACCEPTANCE_LLM_KEY';

/** A saved pipeline the agents call as `pipe:redact`: masks e-mail addresses and other personal data. */
export const redactPipeline = {
  version: 1,
  name: 'redact',
  description: 'Masks personal data (e-mail addresses, phone numbers, names) in a text',
  nodes: [
    { id: 'in', type: 'source.text', config: { lane: 'text' } },
    { id: 'anon', type: 'pii.anonymize', inputs: [{ lane: 'text', from: 'in' }] },
  ],
  outputs: [{ lane: 'text', from: 'anon', as: 'text' }],
};

export const NOTE = 'Write to jane.doe@example.com about invoice 1234.';
export const QUESTION = `Redact this note, then split it into chunks and say how many there are. Note: ${NOTE}`;
export const REDACTED = 'Write to <EMAIL_ADDRESS> about invoice 1234.';

/** pipe_redact on the note, chunk_text on the redacted text, then an answer quoting both results. */
export function twoToolScript(request: LlmDoubleRequest): Reply {
  const redacted = request.toolResults.pipe_redact;
  if (redacted === undefined) return { toolCalls: [{ name: 'pipe_redact', arguments: { text: NOTE } }] };
  const text = /Write to [^"]*? about invoice 1234\./.exec(redacted)?.[0];
  if (text === undefined) return { text: `pipe_redact returned no note: ${redacted}` };
  const chunks = request.toolResults.chunk_text;
  if (chunks === undefined) return { toolCalls: [{ name: 'chunk_text', arguments: { text } }] };
  const count = (chunks.match(/"id":/g) ?? []).length;
  return { text: `Redacted: ${text} Chunks: ${count}.` };
}

export interface AgentsApp {
  client: Client;
  traceStore: TraceStore;
  workspaceRoot: string;
  traceDir: string;
  openai: LlmDoubleServer;
  anthropic: LlmDoubleServer;
  /** Everything the logger wrote (JSON lines). */
  logs(): string;
  call(name: string, args: Record<string, unknown>, options?: { signal?: AbortSignal }): Promise<CallToolResult>;
  spans(runId: string): SpanRecord[];
  /** Closes client, server and store (the files stay until `remove`). */
  close(): Promise<void>;
  remove(): Promise<void>;
}

export async function startAgentsApp(respond: Responder, options: { tracePreviews?: boolean } = {}): Promise<AgentsApp> {
  process.env[KEY_ENV] = API_KEY;
  const base = await realpath(await mkdtemp(join(tmpdir(), 'pipelane-agents-')));
  const workspaceRoot = join(base, 'workspace');
  const traceDir = join(workspaceRoot, '.pipelane');
  await mkdir(join(workspaceRoot, 'pipelines'), { recursive: true });
  await writeFile(join(workspaceRoot, 'pipelines', 'redact.pipe.json'), JSON.stringify(redactPipeline, null, 2));

  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = pino({ level: 'debug' }, sink);
  const registry = createRegistry([sourceText, agentRun, llmChat, chunkText, piiAnonymize]);
  const traceStore = openTraceStore({ dir: traceDir });
  const engine = createEngine({ registry, traceStore, logger, workspaceRoot, ...(options.tracePreviews === undefined ? {} : { tracePreviews: options.tracePreviews }) });
  const server = createMcpServer({ registry, engine, traceStore, workspaceRoot, logger });
  const client = new Client({ name: 'pipelane-agents-acceptance', version: '0.0.0' });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(serverTransport), client.connect(clientTransport)]);
  await client.listTools(); // caches output schemas: every result is checked against them
  const openai = await startOpenAIChatServer({ apiKey: API_KEY, respond });
  const anthropic = await startAnthropicMessagesServer({ apiKey: API_KEY, respond });
  let closed = false;
  return {
    client,
    traceStore,
    workspaceRoot,
    traceDir,
    openai,
    anthropic,
    logs: () => chunks.join(''),
    call: async (name, args, options = {}) =>
      (await client.callTool({ name, arguments: args }, undefined, { ...(options.signal ? { signal: options.signal } : {}), timeout: 120_000 })) as CallToolResult,
    spans: (runId) => traceStore.querySpans({ runId, limit: 1000 }),
    async close() {
      if (closed) return;
      closed = true;
      await client.close();
      await server.close();
      await openai.close();
      await anthropic.close();
      traceStore.close();
    },
    remove: () => rm(base, { recursive: true, force: true }),
  };
}

/** Model settings pointing a framework at the right double: anthropic-tools needs the Anthropic wire, the others get OpenAI's. */
export function modelFor(app: AgentsApp, framework: string, provider: 'openai' | 'anthropic' = framework === 'anthropic-tools' ? 'anthropic' : 'openai') {
  return provider === 'anthropic'
    ? { provider, model: 'claude-haiku-4-5', baseUrl: app.anthropic.url, apiKeyEnv: KEY_ENV, maxRetries: 0 }
    : { provider, model: 'gpt-4o-mini', baseUrl: app.openai.url, apiKeyEnv: KEY_ENV, maxRetries: 0 };
}

export function structured(result: CallToolResult): Record<string, unknown> {
  return (result.structuredContent ?? {}) as Record<string, unknown>;
}
