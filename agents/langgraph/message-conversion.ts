import { AIMessage, type BaseMessage, type MessageContent } from '@langchain/core/messages';
import type { ChatMessage, ModelResult, ToolCall } from '../../src/providers/spec.js';

/** LangChain messages → our ChatMessage list (what the traced LanguageModel takes). */
export function toChatMessages(messages: readonly BaseMessage[]): ChatMessage[] {
  const toolNames = new Map<string, string>();
  const converted: ChatMessage[] = [];
  for (const message of messages) {
    const type = message.getType();
    const content = textOf(message.content);
    if (type === 'system') converted.push({ role: 'system', content });
    else if (type === 'human') converted.push({ role: 'user', content });
    else if (AIMessage.isInstance(message)) {
      const toolCalls: ToolCall[] = (message.tool_calls ?? []).map((call, position) => ({
        id: call.id ?? `call_${position}`,
        name: call.name,
        arguments: call.args,
      }));
      for (const call of toolCalls) toolNames.set(call.id, call.name);
      converted.push({ role: 'assistant', content, ...(toolCalls.length > 0 ? { toolCalls } : {}) });
    } else if (type === 'tool') {
      const { tool_call_id: toolCallId, status, name } = message as BaseMessage & { tool_call_id: string; status?: string };
      converted.push({
        role: 'tool',
        toolCallId,
        toolName: name ?? toolNames.get(toolCallId) ?? '',
        content,
        ...(status === 'error' ? { isError: true } : {}),
      });
    } else {
      throw new Error(`Cannot send a LangChain "${type}" message to the model.`);
    }
  }
  return converted;
}

/** Our model result → the AIMessage LangGraph keeps in its state and routes on. */
export function toAiMessage(result: ModelResult): AIMessage {
  return new AIMessage({
    content: result.text,
    tool_calls: result.toolCalls.map((call) => ({ id: call.id, name: call.name, args: call.arguments, type: 'tool_call' as const })),
    usage_metadata: {
      input_tokens: result.usage.inputTokens,
      output_tokens: result.usage.outputTokens,
      total_tokens: result.usage.inputTokens + result.usage.outputTokens,
    },
    response_metadata: { finish_reason: result.finishReason },
  });
}

export function textOf(content: MessageContent): string {
  if (typeof content === 'string') return content;
  return content
    .map((block) => (typeof block === 'object' && block !== null && block.type === 'text' && typeof block.text === 'string' ? block.text : ''))
    .join('');
}
