import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionFunctionTool,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import type { ChatMessage, FinishReason, ModelCall, ModelStreamPart, ProviderId, ToolCall, ToolSpec, Usage } from '../spec.js';
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

/** Translation between our model spec and the Chat Completions wire format, both ways. */

export function toOpenAIMessages(messages: ChatMessage[]): ChatCompletionMessageParam[] {
  return messages.map((message): ChatCompletionMessageParam => {
    switch (message.role) {
      case 'system':
        return { role: 'system', content: message.content };
      case 'user':
        return { role: 'user', content: message.content };
      case 'assistant':
        return {
          role: 'assistant',
          content: message.content === '' && message.toolCalls?.length ? null : message.content,
          ...(message.toolCalls?.length
            ? { tool_calls: message.toolCalls.map((call) => ({ id: call.id, type: 'function' as const, function: { name: call.name, arguments: JSON.stringify(call.arguments) } })) }
            : {}),
        };
      case 'tool':
        // Chat Completions has no error flag on tool results: say it in the content.
        return { role: 'tool', tool_call_id: message.toolCallId, content: message.isError && !/^error\b/i.test(message.content) ? `Error: ${message.content}` : message.content };
    }
  });
}

export function toOpenAITools(tools: ToolSpec[] | undefined): ChatCompletionFunctionTool[] | undefined {
  if (!tools?.length) return undefined;
  return tools.map((tool) => ({ type: 'function', function: { name: tool.name, description: tool.description, parameters: tool.inputSchema } }));
}

/** The request body (without `stream`). OpenAI itself wants max_completion_tokens; compatible servers know max_tokens. */
export function toOpenAIRequest(modelId: string, provider: ProviderId, call: ModelCall): ChatCompletionCreateParamsNonStreaming {
  const tools = toOpenAITools(call.tools);
  return {
    model: modelId,
    messages: toOpenAIMessages(call.messages),
    ...(tools ? { tools } : {}),
    ...(call.temperature === undefined ? {} : { temperature: call.temperature }),
    ...(call.maxTokens === undefined ? {} : provider === 'openai' ? { max_completion_tokens: call.maxTokens } : { max_tokens: call.maxTokens }),
  };
}

export function finishReasonOf(reason: string | null | undefined): FinishReason {
  if (reason === 'stop') return 'stop';
  if (reason === 'tool_calls' || reason === 'function_call') return 'tool-calls';
  if (reason === 'length') return 'length';
  return 'other';
}

export function usageOf(usage: { prompt_tokens?: unknown; completion_tokens?: unknown } | null | undefined): Usage | undefined {
  if (!usage) return undefined;
  return { inputTokens: optionalNumber(usage.prompt_tokens) ?? 0, outputTokens: optionalNumber(usage.completion_tokens) ?? 0 };
}

/** Tool calls from wire `tool_calls`; `strict` returns undefined when arguments are not a JSON object. */
function toolCallsOf(wire: unknown, strict: boolean): ToolCall[] | undefined {
  const calls: ToolCall[] = [];
  for (const item of asArray(wire)) {
    const call = asRecord(item);
    const fn = asRecord(call.function);
    const text = typeof fn.arguments === 'string' ? fn.arguments : '';
    const args = strict ? parseArguments(text) : argumentsForTrace(text);
    if (!args) return undefined;
    calls.push({ id: String(call.id ?? ''), name: String(fn.name ?? ''), arguments: args });
  }
  return calls;
}

/** A completion as our result; undefined `toolCalls` means the model sent unparseable arguments. */
export function fromOpenAICompletion(completion: ChatCompletion): { text: string; toolCalls: ToolCall[] | undefined; usage: Usage; finishReason: FinishReason } | undefined {
  const choice = completion.choices[0];
  if (!choice) return undefined;
  return {
    text: choice.message.content ?? '',
    toolCalls: toolCallsOf(choice.message.tool_calls, true),
    usage: usageOf(completion.usage) ?? { inputTokens: 0, outputTokens: 0 },
    finishReason: finishReasonOf(choice.finish_reason),
  };
}

/** A wire request body in our shape (lenient: for traces and replay, not validation). */
export function normalizeOpenAIRequest(body: unknown): NormalizedRequest {
  const request = asRecord(body);
  const messages: ChatMessage[] = [];
  const toolNames = new Map<string, string>();
  for (const item of asArray(request.messages)) {
    const message = asRecord(item);
    const content = textOfContent(message.content);
    if (message.role === 'system' || message.role === 'developer') messages.push({ role: 'system', content });
    else if (message.role === 'user') messages.push({ role: 'user', content });
    else if (message.role === 'assistant') {
      const toolCalls = toolCallsOf(message.tool_calls, false) ?? [];
      for (const call of toolCalls) toolNames.set(call.id, call.name);
      messages.push({ role: 'assistant', content, ...(toolCalls.length ? { toolCalls } : {}) });
    } else if (message.role === 'tool') {
      const toolCallId = String(message.tool_call_id ?? '');
      messages.push({ role: 'tool', toolCallId, toolName: toolNames.get(toolCallId) ?? '', content });
    }
  }
  const tools: ToolSpec[] = asArray(request.tools).map((item) => {
    const fn = asRecord(asRecord(item).function);
    return { name: String(fn.name ?? ''), description: typeof fn.description === 'string' ? fn.description : '', inputSchema: asRecord(fn.parameters) };
  });
  return normalizedRequest(messages, tools, optionalNumber(request.temperature), optionalNumber(request.max_completion_tokens) ?? optionalNumber(request.max_tokens));
}

/** A non-streaming response body in our shape. */
export function normalizeOpenAIResponse(body: unknown): ObservedAnswer {
  const response = asRecord(body);
  const message = asRecord(asRecord(asArray(response.choices)[0]).message);
  return { text: textOfContent(message.content), toolCalls: toolCallsOf(message.tool_calls, false) ?? [], usage: usageOf(asRecord(response.usage)) };
}

/**
 * Assembles streamed chunks: text deltas pass through at once, tool calls are emitted whole when
 * the stream finishes (their arguments arrive in pieces keyed by index).
 */
export class OpenAIStreamAssembler {
  private text = '';
  private readonly pending = new Map<number, { id: string; name: string; arguments: string }>();
  private usage: Usage | undefined;
  private finishReason: FinishReason = 'other';

  /** Feeds one chunk (SDK-parsed or raw JSON); returns the text deltas it carried. */
  add(chunk: ChatCompletionChunk | Record<string, unknown>): ModelStreamPart[] {
    const parts: ModelStreamPart[] = [];
    const record = chunk as Record<string, unknown>;
    const usage = usageOf(record.usage as Record<string, unknown> | null | undefined);
    if (usage) this.usage = usage;
    for (const item of asArray(record.choices)) {
      const choice = asRecord(item);
      const delta = asRecord(choice.delta);
      if (typeof delta.content === 'string' && delta.content !== '') {
        this.text += delta.content;
        parts.push({ type: 'text-delta', text: delta.content });
      }
      for (const callItem of asArray(delta.tool_calls)) {
        const call = asRecord(callItem);
        const index = typeof call.index === 'number' ? call.index : this.pending.size;
        const fn = asRecord(call.function);
        const entry = this.pending.get(index) ?? { id: '', name: '', arguments: '' };
        if (typeof call.id === 'string' && call.id) entry.id = call.id;
        if (typeof fn.name === 'string' && fn.name) entry.name = fn.name;
        if (typeof fn.arguments === 'string') entry.arguments += fn.arguments;
        this.pending.set(index, entry);
      }
      if (typeof choice.finish_reason === 'string') this.finishReason = finishReasonOf(choice.finish_reason);
    }
    return parts;
  }

  /** Tool calls in index order; `strict` gives undefined if any arguments are not a JSON object. */
  toolCalls(strict: boolean): ToolCall[] | undefined {
    const calls: ToolCall[] = [];
    for (const [, entry] of [...this.pending].sort(([left], [right]) => left - right)) {
      const args = strict ? parseArguments(entry.arguments) : argumentsForTrace(entry.arguments);
      if (!args) return undefined;
      calls.push({ id: entry.id, name: entry.name, arguments: args });
    }
    return calls;
  }

  result(): ObservedAnswer & { finishReason: FinishReason } {
    return { text: this.text, toolCalls: this.toolCalls(false) ?? [], usage: this.usage, finishReason: this.finishReason };
  }
}
