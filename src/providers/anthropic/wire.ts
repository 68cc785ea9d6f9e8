import type { ContentBlockParam, Message, MessageCreateParamsNonStreaming, MessageParam, Tool } from '@anthropic-ai/sdk/resources/messages';
import type { ChatMessage, FinishReason, ModelCall, ModelStreamPart, ToolCall, ToolSpec, Usage } from '../spec.js';
import {
  argumentsForTrace,
  asArray,
  asRecord,
  normalizedRequest,
  optionalNumber,
  parseArguments,
  textOfContent,
  type NormalizedRequest,
  type ObservedAnswer,
} from '../wire-common.js';

/** Translation between our model spec and the Anthropic Messages wire format, both ways. */

/** The Messages API requires max_tokens; this fits every current Claude model. */
export const DEFAULT_MAX_TOKENS = 4096;

function blocksOf(message: Exclude<ChatMessage, { role: 'system' }>): ContentBlockParam[] {
  switch (message.role) {
    case 'user':
      return [{ type: 'text', text: message.content }];
    case 'assistant':
      return [
        ...(message.content === '' ? [] : [{ type: 'text' as const, text: message.content }]),
        ...(message.toolCalls ?? []).map((call) => ({ type: 'tool_use' as const, id: call.id, name: call.name, input: call.arguments })),
      ];
    case 'tool':
      return [{ type: 'tool_result', tool_use_id: message.toolCallId, content: message.content, ...(message.isError ? { is_error: true } : {}) }];
  }
}

/**
 * System messages go to `system`; tool results become user turns; consecutive turns of one role
 * (several tool results, or tool results then a user message) merge into one turn, because the
 * API wants user and assistant to alternate.
 */
export function toAnthropicMessages(messages: ChatMessage[]): { system: string | undefined; messages: MessageParam[] } {
  const system: string[] = [];
  const turns: Array<{ role: 'user' | 'assistant'; content: ContentBlockParam[] }> = [];
  for (const message of messages) {
    if (message.role === 'system') {
      system.push(message.content);
      continue;
    }
    const role = message.role === 'assistant' ? 'assistant' : 'user';
    const blocks = blocksOf(message);
    const last = turns.at(-1);
    if (last && last.role === role) last.content.push(...blocks);
    else turns.push({ role, content: blocks });
  }
  // A plain single text block is sent as a string, as most clients do.
  const wire = turns.map((turn): MessageParam => {
    const only = turn.content.length === 1 ? turn.content[0] : undefined;
    return { role: turn.role, content: only?.type === 'text' ? only.text : turn.content };
  });
  return { system: system.length ? system.join('\n\n') : undefined, messages: wire };
}

export function toAnthropicTools(tools: ToolSpec[] | undefined): Tool[] | undefined {
  if (!tools?.length) return undefined;
  return tools.map((tool) => ({ name: tool.name, description: tool.description, input_schema: tool.inputSchema as Tool['input_schema'] }));
}

export function toAnthropicRequest(modelId: string, call: ModelCall): MessageCreateParamsNonStreaming {
  const { system, messages } = toAnthropicMessages(call.messages);
  const tools = toAnthropicTools(call.tools);
  return {
    model: modelId,
    max_tokens: call.maxTokens ?? DEFAULT_MAX_TOKENS,
    messages,
    ...(system === undefined ? {} : { system }),
    ...(tools ? { tools } : {}),
    ...(call.temperature === undefined ? {} : { temperature: call.temperature }),
  };
}

export function finishReasonOf(reason: string | null | undefined): FinishReason {
  if (reason === 'end_turn' || reason === 'stop_sequence') return 'stop';
  if (reason === 'tool_use') return 'tool-calls';
  if (reason === 'max_tokens') return 'length';
  return 'other';
}

function answerOf(content: unknown): { text: string; toolCalls: ToolCall[] } {
  let text = '';
  const toolCalls: ToolCall[] = [];
  for (const item of asArray(content)) {
    const block = asRecord(item);
    if (block.type === 'text' && typeof block.text === 'string') text += block.text;
    if (block.type === 'tool_use') toolCalls.push({ id: String(block.id ?? ''), name: String(block.name ?? ''), arguments: asRecord(block.input) });
  }
  return { text, toolCalls };
}

export function fromAnthropicMessage(message: Message): { text: string; toolCalls: ToolCall[]; usage: Usage; finishReason: FinishReason } {
  return {
    ...answerOf(message.content),
    usage: { inputTokens: message.usage.input_tokens ?? 0, outputTokens: message.usage.output_tokens ?? 0 },
    finishReason: finishReasonOf(message.stop_reason),
  };
}

/** A wire request body in our shape (lenient: for traces and replay). */
export function normalizeAnthropicRequest(body: unknown): NormalizedRequest {
  const request = asRecord(body);
  const messages: ChatMessage[] = [];
  const system = textOfContent(request.system);
  if (system !== '') messages.push({ role: 'system', content: system });
  const toolNames = new Map<string, string>();
  for (const item of asArray(request.messages)) {
    const message = asRecord(item);
    const blocks = typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : asArray(message.content).map(asRecord);
    if (message.role === 'assistant') {
      const { text, toolCalls } = answerOf(blocks);
      for (const call of toolCalls) toolNames.set(call.id, call.name);
      messages.push({ role: 'assistant', content: text, ...(toolCalls.length ? { toolCalls } : {}) });
      continue;
    }
    if (message.role === 'system') {
      messages.push({ role: 'system', content: textOfContent(message.content) });
      continue;
    }
    let text = '';
    for (const block of blocks) {
      if (block.type === 'text') text += String(block.text ?? '');
      if (block.type === 'tool_result') {
        const toolCallId = String(block.tool_use_id ?? '');
        messages.push({ role: 'tool', toolCallId, toolName: toolNames.get(toolCallId) ?? '', content: textOfContent(block.content), ...(block.is_error === true ? { isError: true } : {}) });
      }
    }
    if (text !== '') messages.push({ role: 'user', content: text });
  }
  const tools: ToolSpec[] = asArray(request.tools).map((item) => {
    const tool = asRecord(item);
    return { name: String(tool.name ?? ''), description: typeof tool.description === 'string' ? tool.description : '', inputSchema: asRecord(tool.input_schema) };
  });
  return normalizedRequest(messages, tools, optionalNumber(request.temperature), optionalNumber(request.max_tokens));
}

function usageOf(value: unknown): Partial<Usage> {
  const usage = asRecord(value);
  const inputTokens = optionalNumber(usage.input_tokens);
  const outputTokens = optionalNumber(usage.output_tokens);
  return { ...(inputTokens === undefined ? {} : { inputTokens }), ...(outputTokens === undefined ? {} : { outputTokens }) };
}

export function normalizeAnthropicResponse(body: unknown): ObservedAnswer {
  const response = asRecord(body);
  const usage = usageOf(response.usage);
  return { ...answerOf(response.content), usage: usage.inputTokens === undefined && usage.outputTokens === undefined ? undefined : { inputTokens: usage.inputTokens ?? 0, outputTokens: usage.outputTokens ?? 0 } };
}

/**
 * Assembles streaming events: text deltas pass through at once; a tool call is emitted when its
 * block stops (its JSON input arrives in pieces). Usage: input from message_start, output from
 * the last message_delta (cumulative).
 */
export class AnthropicStreamAssembler {
  private text = '';
  private readonly blocks = new Map<number, { id: string; name: string; json: string }>();
  private readonly done: ToolCall[] = [];
  private usage: Partial<Usage> = {};
  private finishReason: FinishReason = 'other';
  /** Set when a tool call's input was not a JSON object. */
  unreadable: string | undefined;

  add(event: unknown): ModelStreamPart[] {
    const record = asRecord(event);
    const parts: ModelStreamPart[] = [];
    const index = typeof record.index === 'number' ? record.index : -1;
    switch (record.type) {
      case 'message_start':
        this.usage = { ...this.usage, ...usageOf(asRecord(record.message).usage) };
        break;
      case 'content_block_start': {
        const block = asRecord(record.content_block);
        if (block.type === 'tool_use') this.blocks.set(index, { id: String(block.id ?? ''), name: String(block.name ?? ''), json: '' });
        if (block.type === 'text' && typeof block.text === 'string' && block.text !== '') parts.push(this.addText(block.text));
        break;
      }
      case 'content_block_delta': {
        const delta = asRecord(record.delta);
        if (delta.type === 'text_delta' && typeof delta.text === 'string') parts.push(this.addText(delta.text));
        if (delta.type === 'input_json_delta' && typeof delta.partial_json === 'string') {
          const block = this.blocks.get(index);
          if (block) block.json += delta.partial_json;
        }
        break;
      }
      case 'content_block_stop': {
        const block = this.blocks.get(index);
        if (!block) break;
        this.blocks.delete(index);
        const args = parseArguments(block.json);
        if (!args) this.unreadable ??= `tool ${block.name} input ${block.json.slice(0, 200)}`;
        const call = { id: block.id, name: block.name, arguments: args ?? argumentsForTrace(block.json) };
        this.done.push(call);
        parts.push({ type: 'tool-call', toolCall: call });
        break;
      }
      case 'message_delta': {
        this.usage = { ...this.usage, ...usageOf(record.usage) };
        const reason = asRecord(record.delta).stop_reason;
        if (typeof reason === 'string') this.finishReason = finishReasonOf(reason);
        break;
      }
    }
    return parts.filter((part) => part.type !== 'text-delta' || part.text !== '');
  }

  private addText(text: string): ModelStreamPart {
    this.text += text;
    return { type: 'text-delta', text };
  }

  result(): ObservedAnswer & { finishReason: FinishReason } {
    const usage = this.usage.inputTokens === undefined && this.usage.outputTokens === undefined ? undefined : { inputTokens: this.usage.inputTokens ?? 0, outputTokens: this.usage.outputTokens ?? 0 };
    return { text: this.text, toolCalls: [...this.done], usage, finishReason: this.finishReason };
  }
}
