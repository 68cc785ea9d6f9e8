import type { ChatCompletion } from 'openai/resources/chat/completions';

/**
 * The SDK calls a tool function with its parsed arguments only, not the id of the call. The id
 * is found again in the reply that asked for it: the first unclaimed call of that tool whose
 * arguments parse to the same value (two identical calls get their ids in order).
 */
export class ToolCallIds {
  private readonly claimed = new Set<string>();

  claim(completion: ChatCompletion | undefined, name: string, args: Record<string, unknown>): string | undefined {
    const wanted = canonicalJson(args);
    for (const call of completion?.choices[0]?.message.tool_calls ?? []) {
      if (call.type !== 'function' || call.function.name !== name || this.claimed.has(call.id)) continue;
      if (canonicalJson(parsed(call.function.arguments)) !== wanted) continue;
      this.claimed.add(call.id);
      return call.id;
    }
    return undefined;
  }
}

function parsed(text: string): unknown {
  try {
    return text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    return undefined;
  }
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value) ?? '';
}
