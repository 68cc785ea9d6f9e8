import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What the OpenAI and Anthropic chat doubles share: the scripting types, auth checking, recording,
 * deterministic usage and the HTTP plumbing. Each double translates its own wire format into a
 * `LlmDoubleRequest` and a `Reply` back into its wire format.
 */

export interface ScriptedToolCall {
  name: string;
  arguments: Record<string, unknown>;
  /** Default: a generated id (`call_…` / `toolu_…`). */
  id?: string;
}

export interface ReplyUsage {
  inputTokens: number;
  outputTokens: number;
}

interface ReplyTiming {
  /** Wait this long before answering (headers included). */
  delayMs?: number;
  /** Streaming only: wait this long between chunks. */
  chunkDelayMs?: number;
}

/** An answer: text, tool calls, or both. Usage defaults to `defaultUsage` of the request and reply. */
export type AnswerReply = ReplyTiming & { text?: string; toolCalls?: ScriptedToolCall[]; usage?: ReplyUsage };

/** An error answer in the provider's error shape (or `body` as given). */
export type ErrorReply = ReplyTiming & { status: number; retryAfter?: number; body?: unknown; message?: string };

export type Reply = AnswerReply | ErrorReply;

export interface ToolResultSeen {
  id: string;
  name: string;
  content: string;
  isError: boolean;
}

/** A request as a script sees it: the raw body plus the facts tests usually branch on. */
export interface LlmDoubleRequest {
  /** 0-based position among the requests this server received. */
  index: number;
  path: string;
  headers: IncomingHttpHeaders;
  /** Which header carried the key. */
  auth: 'bearer' | 'x-api-key' | 'none';
  body: Record<string, unknown>;
  model: string;
  stream: boolean;
  /** System prompt text ('' when none). */
  system: string;
  /** Text of the last user message that has text (tool-result turns skipped). */
  lastUserText: string;
  /** Tool results in the conversation, by tool name (the latest per name). */
  toolResults: Record<string, string>;
  toolResultList: ToolResultSeen[];
  /** Names of the tools offered. */
  toolNames: string[];
  /** Every text of the conversation (system, user, assistant, tool results, tool arguments) joined by newlines. */
  allText: string;
}

export interface RecordedLlmRequest extends LlmDoubleRequest {
  /** The status the double answered with. */
  status: number;
  /** The reply the script gave (undefined for auth or parse failures). */
  reply: Reply | undefined;
  /** The usage the double reported (undefined for errors). */
  usage: ReplyUsage | undefined;
}

export type Responder = (request: LlmDoubleRequest) => Reply | Promise<Reply>;

export interface LlmDoubleOptions {
  /** The only key accepted (as `authorization: Bearer` or `x-api-key`); undefined: no auth check. */
  apiKey?: string;
  /** Default: answers `echo: <lastUserText>`. */
  respond?: Responder;
  /** Put the received key in the 401 message, as some servers do, to test that callers scrub it. */
  echoKeyIn401?: boolean;
}

export interface LlmDoubleServer {
  /** Base URL including `/v1`. */
  readonly url: string;
  /** Origin without `/v1` (what the Anthropic SDK takes as baseURL). */
  readonly origin: string;
  readonly requests: RecordedLlmRequest[];
  /** Number of requests received (all routes, all outcomes). */
  readonly calls: number;
  /** Sum of the usage the double reported on successful answers. */
  readonly reportedUsage: ReplyUsage;
  /** Replace the script. */
  respond: Responder;
  close(): Promise<void>;
}

export function isErrorReply(reply: Reply): reply is ErrorReply {
  return typeof (reply as ErrorReply).status === 'number';
}

/** Deterministic token count of a text: one token per 4 characters, at least 1. */
export function tokensOf(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

/** The usage the doubles report when a reply names none: derived from the conversation and the answer. */
export function defaultUsage(request: LlmDoubleRequest, reply: AnswerReply): ReplyUsage {
  const output = (reply.text ?? '') + (reply.toolCalls ?? []).map((call) => call.name + JSON.stringify(call.arguments)).join('');
  return { inputTokens: tokensOf(request.allText), outputTokens: tokensOf(output) };
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}

export function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map((part) => (typeof part === 'object' && part !== null && (part as { type?: unknown }).type === 'text' ? String((part as { text?: unknown }).text ?? '') : '')).join('');
  return '';
}

export function authOf(headers: IncomingHttpHeaders): { auth: LlmDoubleRequest['auth']; key: string | undefined } {
  const bearer = /^Bearer (.+)$/i.exec(headers.authorization ?? '')?.[1];
  if (bearer !== undefined) return { auth: 'bearer', key: bearer };
  const header = headers['x-api-key'];
  if (typeof header === 'string' && header !== '') return { auth: 'x-api-key', key: header };
  return { auth: 'none', key: undefined };
}

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
  response.end(text);
}

export function startSseResponse(response: ServerResponse): void {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
}

/** Writes SSE frames one by one, pausing between them, stopping when the client has gone. */
export async function writeFrames(response: ServerResponse, frames: string[], chunkDelayMs: number, gone: AbortSignal): Promise<void> {
  for (const [position, frame] of frames.entries()) {
    if (gone.aborted) return;
    if (position > 0) await sleep(chunkDelayMs, gone);
    if (gone.aborted) return;
    response.write(frame);
  }
  response.end();
}

export interface WireAdapter {
  /** Paths answered (exact, query stripped). */
  paths: string[];
  /** Raw body → the scriptable view (index, path, headers and auth are filled in by the kit). */
  parse(body: Record<string, unknown>): Omit<LlmDoubleRequest, 'index' | 'path' | 'headers' | 'auth'>;
  /** Status and JSON body of an error in the provider's shape. */
  errorBody(status: number, message?: string): unknown;
  /** Sends a successful answer (JSON or SSE). */
  answer(response: ServerResponse, request: LlmDoubleRequest, reply: AnswerReply, usage: ReplyUsage, gone: AbortSignal): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

export async function startLlmDouble(adapter: WireAdapter, options: LlmDoubleOptions): Promise<LlmDoubleServer> {
  const requests: RecordedLlmRequest[] = [];
  const reported: ReplyUsage = { inputTokens: 0, outputTokens: 0 };
  let calls = 0;
  const state: { respond: Responder } = { respond: options.respond ?? ((request) => ({ text: `echo: ${request.lastUserText}` })) };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const index = calls++;
    const gone = new AbortController();
    response.on('close', () => gone.abort());
    const text = await readBody(request);
    const path = (request.url ?? '').split('?')[0] ?? '';
    const { auth, key } = authOf(request.headers);
    let body: Record<string, unknown> = {};
    let parsed = true;
    try {
      body = JSON.parse(text || '{}') as Record<string, unknown>;
    } catch {
      parsed = false;
    }
    const view: LlmDoubleRequest = { index, path, headers: request.headers, auth, ...adapter.parse(parsed ? body : {}) };
    const record: RecordedLlmRequest = { ...view, status: 0, reply: undefined, usage: undefined };
    requests.push(record);
    const fail = (status: number, message?: string, headers?: Record<string, string>, payload?: unknown) => {
      record.status = status;
      sendJson(response, status, payload ?? adapter.errorBody(status, message), headers);
    };

    if (request.method !== 'POST' || !adapter.paths.includes(path)) return fail(404, `Unknown route ${request.method} ${path}.`);
    if (options.apiKey !== undefined && key !== options.apiKey) {
      return fail(401, options.echoKeyIn401 && key ? `Incorrect API key provided: ${key}.` : undefined);
    }
    if (!parsed) return fail(400, 'We could not parse the JSON body of your request.');
    if (view.model === '') return fail(400, 'model: Field required');

    const reply = await state.respond(view);
    record.reply = reply;
    await sleep(reply.delayMs ?? 0, gone.signal);
    if (gone.signal.aborted) {
      record.status = 499;
      return;
    }
    if (isErrorReply(reply)) {
      const headers: Record<string, string> = reply.retryAfter === undefined ? {} : { 'retry-after': String(reply.retryAfter) };
      return fail(reply.status, reply.message, headers, reply.body);
    }
    const usage = reply.usage ?? defaultUsage(view, reply);
    record.status = 200;
    record.usage = usage;
    reported.inputTokens += usage.inputTokens;
    reported.outputTokens += usage.outputTokens;
    await adapter.answer(response, view, reply, usage, gone.signal);
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, adapter.errorBody(500, `double failed: ${String(error)}`));
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/v1`,
    origin,
    requests,
    get calls() {
      return calls;
    },
    get reportedUsage() {
      return { ...reported };
    },
    get respond() {
      return state.respond;
    },
    set respond(responder: Responder) {
      state.respond = responder;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

let counter = 0;
/** A unique id with the provider's prefix. */
export function nextId(prefix: string): string {
  counter += 1;
  return `${prefix}${Date.now().toString(36)}${counter.toString(36).padStart(4, '0')}`;
}
