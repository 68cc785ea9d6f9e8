import type { ServerResponse } from 'node:http';
import {
  nextId,
  sendJson,
  startLlmDouble,
  startSseResponse,
  textOf,
  writeFrames,
  type AnswerReply,
  type LlmDoubleOptions,
  type LlmDoubleRequest,
  type LlmDoubleServer,
  type ReplyUsage,
  type ToolResultSeen,
  type WireAdapter,
} from './llm-double-kit.js';

export type { AnswerReply, ErrorReply, LlmDoubleRequest, LlmDoubleServer, RecordedLlmRequest, Reply, ReplyUsage, Responder } from './llm-double-kit.js';
export { defaultUsage, tokensOf } from './llm-double-kit.js';

/**
 * A local stand-in for the OpenAI Chat Completions API (`POST /v1/chat/completions`, also
 * `/chat/completions` for clients whose base URL lacks `/v1`), speaking the real wire format:
 * `tool_calls`, `usage`, and streaming chunks ending in `data: [DONE]` with the usage chunk when
 * `stream_options.include_usage` is set. Answers are scripted per request.
 */

const errorKinds: Record<number, { type: string; code: string | null; message: string }> = {
  400: { type: 'invalid_request_error', code: null, message: 'Invalid request.' },
  401: { type: 'invalid_request_error', code: 'invalid_api_key', message: 'Incorrect API key provided.' },
  403: { type: 'invalid_request_error', code: 'unsupported_country_region_territory', message: 'Country, region, or territory not supported.' },
  404: { type: 'invalid_request_error', code: 'model_not_found', message: 'The model does not exist or you do not have access to it.' },
  429: { type: 'requests', code: 'rate_limit_exceeded', message: 'Rate limit reached for requests.' },
  500: { type: 'server_error', code: null, message: 'The server had an error while processing your request.' },
  503: { type: 'server_error', code: null, message: 'The engine is currently overloaded, please try again later.' },
};

export function openaiErrorBody(status: number, message?: string): unknown {
  const kind = errorKinds[status] ?? { type: 'server_error', code: null, message: `Error ${status}.` };
  return { error: { message: message ?? kind.message, type: kind.type, param: null, code: kind.code } };
}

interface WireMessage {
  role?: unknown;
  content?: unknown;
  tool_calls?: Array<{ id?: unknown; function?: { name?: unknown; arguments?: unknown } }>;
  tool_call_id?: unknown;
}

function parse(body: Record<string, unknown>): Omit<LlmDoubleRequest, 'index' | 'path' | 'headers' | 'auth'> {
  const messages = (Array.isArray(body.messages) ? body.messages : []) as WireMessage[];
  const toolNameById = new Map<string, string>();
  const toolResultList: ToolResultSeen[] = [];
  const texts: string[] = [];
  const system: string[] = [];
  let lastUserText = '';
  for (const message of messages) {
    const text = textOf(message.content);
    if (message.role === 'system' || message.role === 'developer') system.push(text);
    if (message.role === 'user' && text !== '') lastUserText = text;
    if (text !== '') texts.push(text);
    for (const call of message.tool_calls ?? []) {
      toolNameById.set(String(call.id), String(call.function?.name));
      texts.push(`${String(call.function?.name)} ${String(call.function?.arguments)}`);
    }
    if (message.role === 'tool') {
      const id = String(message.tool_call_id);
      toolResultList.push({ id, name: toolNameById.get(id) ?? '', content: text, isError: false });
    }
  }
  const tools = (Array.isArray(body.tools) ? body.tools : []) as Array<{ function?: { name?: unknown } }>;
  return {
    body,
    model: typeof body.model === 'string' ? body.model : '',
    stream: body.stream === true,
    system: system.join('\n'),
    lastUserText,
    toolResults: Object.fromEntries(toolResultList.map((result) => [result.name, result.content])),
    toolResultList,
    toolNames: tools.map((tool) => String(tool.function?.name)),
    allText: texts.join('\n'),
  };
}

function wireUsage(usage: ReplyUsage) {
  return { prompt_tokens: usage.inputTokens, completion_tokens: usage.outputTokens, total_tokens: usage.inputTokens + usage.outputTokens };
}

function wireToolCalls(reply: AnswerReply) {
  return (reply.toolCalls ?? []).map((call) => ({ id: call.id ?? nextId('call_'), type: 'function' as const, function: { name: call.name, arguments: JSON.stringify(call.arguments) } }));
}

/** Splits text into pieces of a few characters, so streaming tests see several deltas. */
export function piecesOf(text: string, size = 4): string[] {
  const pieces: string[] = [];
  for (let start = 0; start < text.length; start += size) pieces.push(text.slice(start, start + size));
  return pieces;
}

function streamFrames(request: LlmDoubleRequest, reply: AnswerReply, usage: ReplyUsage): string[] {
  const id = nextId('chatcmpl-');
  const created = Math.floor(Date.now() / 1000);
  const includeUsage = (request.body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) =>
    `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: request.model, system_fingerprint: 'fp_double', choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }], ...(includeUsage ? { usage: null } : {}) })}\n\n`;
  const frames = [chunk({ role: 'assistant', content: '', refusal: null })];
  for (const piece of piecesOf(reply.text ?? '')) frames.push(chunk({ content: piece }));
  for (const [index, call] of wireToolCalls(reply).entries()) {
    frames.push(chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }] }));
    for (const piece of piecesOf(call.function.arguments, 8)) frames.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
  }
  frames.push(chunk({}, reply.toolCalls?.length ? 'tool_calls' : 'stop'));
  if (includeUsage) {
    frames.push(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: request.model, system_fingerprint: 'fp_double', choices: [], usage: wireUsage(usage) })}\n\n`);
  }
  frames.push('data: [DONE]\n\n');
  return frames;
}

const adapter: WireAdapter = {
  paths: ['/v1/chat/completions', '/chat/completions'],
  parse,
  errorBody: openaiErrorBody,
  async answer(response: ServerResponse, request: LlmDoubleRequest, reply: AnswerReply, usage: ReplyUsage, gone: AbortSignal) {
    if (request.stream) {
      startSseResponse(response);
      await writeFrames(response, streamFrames(request, reply, usage), reply.chunkDelayMs ?? 0, gone);
      return;
    }
    const toolCalls = wireToolCalls(reply);
    sendJson(response, 200, {
      id: nextId('chatcmpl-'),
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: request.model,
      system_fingerprint: 'fp_double',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: reply.text ?? (toolCalls.length ? null : ''), refusal: null, ...(toolCalls.length ? { tool_calls: toolCalls } : {}) },
          logprobs: null,
          finish_reason: toolCalls.length ? 'tool_calls' : 'stop',
        },
      ],
      usage: wireUsage(usage),
    });
  },
};

/** Starts the double on 127.0.0.1 at a free port. `url` ends in `/v1`. */
export function startOpenAIChatServer(options: LlmDoubleOptions = {}): Promise<LlmDoubleServer> {
  return startLlmDouble(adapter, options);
}

export { startOpenAIChatServer as start };
