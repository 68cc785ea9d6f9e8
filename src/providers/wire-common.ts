import type { ChatMessage, ModelCall, ToolCall, ToolSpec, Usage } from './spec.js';

/** A request in our shape, as recorded on `llm` spans ('llm.request') and resent by replay_llm_calls. */
export type NormalizedRequest = Omit<ModelCall, 'signal'>;

/** An answer in our shape ('llm.response'). */
export interface NormalizedResponse {
  text: string;
  toolCalls: ToolCall[];
}

/** What the traced fetch reads from a response body, whichever provider. */
export interface ObservedAnswer extends NormalizedResponse {
  usage: Usage | undefined;
}

/** Tool arguments from their JSON text; undefined when not a JSON object. */
export function parseArguments(text: string): Record<string, unknown> | undefined {
  if (text.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Lenient version for traces: keeps unparseable arguments as `{_raw}`. */
export function argumentsForTrace(text: string): Record<string, unknown> {
  return parseArguments(text) ?? { _raw: text };
}

/** Text of a string or of an array of `{type: 'text', text}` parts. */
export function textOfContent(value: unknown): string {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value)) return '';
  return value
    .map((part) => (typeof part === 'object' && part !== null && (part as { type?: unknown }).type === 'text' ? String((part as { text?: unknown }).text ?? '') : ''))
    .join('');
}

export function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function optionalNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Drops undefined fields so recorded requests compare equal to the calls they came from. */
export function normalizedRequest(messages: ChatMessage[], tools: ToolSpec[], temperature: number | undefined, maxTokens: number | undefined): NormalizedRequest {
  return {
    messages,
    ...(tools.length ? { tools } : {}),
    ...(temperature === undefined ? {} : { temperature }),
    ...(maxTokens === undefined ? {} : { maxTokens }),
  };
}
