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
import { piecesOf } from './openai-chat-server.js';

export type { AnswerReply, ErrorReply, LlmDoubleRequest, LlmDoubleServer, RecordedLlmRequest, Reply, ReplyUsage, Responder } from './llm-double-kit.js';
export { defaultUsage, tokensOf } from './llm-double-kit.js';

/**
 * A local stand-in for the Anthropic Messages API (`POST /v1/messages`) speaking the real wire
 * format: `tool_use` / `tool_result` content blocks, `usage`, and the streaming events
 * (message_start, content_block_start/delta/stop with text_delta and input_json_delta,
 * message_delta with usage, message_stop). Answers are scripted per request.
 */

const errorTypes: Record<number, { type: string; message: string }> = {
  400: { type: 'invalid_request_error', message: 'Invalid request.' },
  401: { type: 'authentication_error', message: 'invalid x-api-key' },
  403: { type: 'permission_error', message: 'Your API key does not have permission to use the specified resource.' },
  404: { type: 'not_found_error', message: 'Not found.' },
  413: { type: 'request_too_large', message: 'Request exceeds the maximum allowed number of bytes.' },
  429: { type: 'rate_limit_error', message: 'Number of request tokens has exceeded your per-minute rate limit.' },
  500: { type: 'api_error', message: 'Internal server error.' },
  529: { type: 'overloaded_error', message: 'Overloaded' },
};

export function anthropicErrorBody(status: number, message?: string): unknown {
  const kind = errorTypes[status] ?? { type: 'api_error', message: `Error ${status}.` };
  return { type: 'error', error: { type: kind.type, message: message ?? kind.message } };
}

interface WireBlock {
  type?: unknown;
  text?: unknown;
  id?: unknown;
  name?: unknown;
  input?: unknown;
  tool_use_id?: unknown;
  content?: unknown;
  is_error?: unknown;
}

function parse(body: Record<string, unknown>): Omit<LlmDoubleRequest, 'index' | 'path' | 'headers' | 'auth'> {
  const messages = (Array.isArray(body.messages) ? body.messages : []) as Array<{ role?: unknown; content?: unknown }>;
  const system = textOf(body.system);
  const toolNameById = new Map<string, string>();
  const toolResultList: ToolResultSeen[] = [];
  const texts: string[] = system === '' ? [] : [system];
  let lastUserText = '';
  for (const message of messages) {
    const text = textOf(message.content);
    if (message.role === 'user' && text !== '') lastUserText = text;
    if (text !== '') texts.push(text);
    const blocks = (Array.isArray(message.content) ? message.content : []) as WireBlock[];
    for (const block of blocks) {
      if (block.type === 'tool_use') {
        toolNameById.set(String(block.id), String(block.name));
        texts.push(`${String(block.name)} ${JSON.stringify(block.input)}`);
      }
      if (block.type === 'tool_result') {
        const id = String(block.tool_use_id);
        const content = textOf(block.content);
        texts.push(content);
        toolResultList.push({ id, name: toolNameById.get(id) ?? '', content, isError: block.is_error === true });
      }
    }
  }
  const tools = (Array.isArray(body.tools) ? body.tools : []) as Array<{ name?: unknown }>;
  return {
    body,
    model: typeof body.model === 'string' ? body.model : '',
    stream: body.stream === true,
    system,
    lastUserText,
    toolResults: Object.fromEntries(toolResultList.map((result) => [result.name, result.content])),
    toolResultList,
    toolNames: tools.map((tool) => String(tool.name)),
    allText: texts.join('\n'),
  };
}

function contentBlocks(reply: AnswerReply) {
  const blocks: Array<Record<string, unknown>> = [];
  if (reply.text) blocks.push({ type: 'text', text: reply.text });
  for (const call of reply.toolCalls ?? []) blocks.push({ type: 'tool_use', id: call.id ?? nextId('toolu_'), name: call.name, input: call.arguments });
  return blocks;
}

function stopReason(reply: AnswerReply): string {
  return reply.toolCalls?.length ? 'tool_use' : 'end_turn';
}

function event(name: string, data: Record<string, unknown>): string {
  return `event: ${name}\ndata: ${JSON.stringify({ type: name, ...data })}\n\n`;
}

function streamFrames(request: LlmDoubleRequest, reply: AnswerReply, usage: ReplyUsage): string[] {
  const frames = [
    event('message_start', {
      message: { id: nextId('msg_'), type: 'message', role: 'assistant', model: request.model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: usage.inputTokens, output_tokens: 1 } },
    }),
    event('ping', {}),
  ];
  for (const [index, block] of contentBlocks(reply).entries()) {
    if (block.type === 'text') {
      frames.push(event('content_block_start', { index, content_block: { type: 'text', text: '' } }));
      for (const piece of piecesOf(String(block.text))) frames.push(event('content_block_delta', { index, delta: { type: 'text_delta', text: piece } }));
    } else {
      frames.push(event('content_block_start', { index, content_block: { ...block, input: {} } }));
      for (const piece of piecesOf(JSON.stringify(block.input), 8)) frames.push(event('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: piece } }));
    }
    frames.push(event('content_block_stop', { index }));
  }
  // Like the real API: output_tokens in message_delta is cumulative and replaces message_start's.
  frames.push(event('message_delta', { delta: { stop_reason: stopReason(reply), stop_sequence: null }, usage: { output_tokens: usage.outputTokens } }));
  frames.push(event('message_stop', {}));
  return frames;
}

const adapter: WireAdapter = {
  paths: ['/v1/messages'],
  parse,
  errorBody: anthropicErrorBody,
  async answer(response: ServerResponse, request: LlmDoubleRequest, reply: AnswerReply, usage: ReplyUsage, gone: AbortSignal) {
    if (request.stream) {
      startSseResponse(response);
      await writeFrames(response, streamFrames(request, reply, usage), reply.chunkDelayMs ?? 0, gone);
      return;
    }
    sendJson(response, 200, {
      id: nextId('msg_'),
      type: 'message',
      role: 'assistant',
      model: request.model,
      content: contentBlocks(reply),
      stop_reason: stopReason(reply),
      stop_sequence: null,
      usage: { input_tokens: usage.inputTokens, output_tokens: usage.outputTokens },
    });
  },
};

/** Starts the double on 127.0.0.1 at a free port. `url` ends in `/v1`; give the Anthropic SDK `origin`. */
export function startAnthropicMessagesServer(options: LlmDoubleOptions = {}): Promise<LlmDoubleServer> {
  return startLlmDouble(adapter, options);
}

export { startAnthropicMessagesServer as start };
