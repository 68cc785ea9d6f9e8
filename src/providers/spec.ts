import type { Anthropic } from '@anthropic-ai/sdk';
import type { OpenAI } from 'openai';
import { z } from 'zod';

/**
 * The only model shape nodes, agents and the tracer know (after the Vercel AI SDK's provider spec).
 * Provider folders translate it to and from their wire format; nothing else sees a wire format.
 */

export interface ToolCall {
  /** The provider's id for the call, echoed back on the tool result. */
  id: string;
  name: string;
  arguments: Record<string, unknown>;
}

export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string; toolCalls?: ToolCall[] }
  | { role: 'tool'; toolCallId: string; toolName: string; content: string; isError?: boolean };

/** A tool as a model sees it: name (^[A-Za-z0-9_-]{1,64}$), description, JSON Schema of its arguments. */
export interface ToolSpec {
  name: string;
  description: string;
  /** A JSON Schema with `type: "object"` at the root. */
  inputSchema: Record<string, unknown>;
}

export interface ModelCall {
  messages: ChatMessage[];
  tools?: ToolSpec[];
  temperature?: number;
  maxTokens?: number;
  signal?: AbortSignal;
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
}

export type FinishReason = 'stop' | 'tool-calls' | 'length' | 'other';

export interface ModelResult {
  text: string;
  toolCalls: ToolCall[];
  usage: Usage;
  finishReason: FinishReason;
}

export type ModelStreamPart =
  | { type: 'text-delta'; text: string }
  | { type: 'tool-call'; toolCall: ToolCall }
  | { type: 'usage'; usage: Usage }
  | { type: 'end'; finishReason: FinishReason };

export interface LanguageModel {
  /** 'openai' | 'anthropic' | 'openai-compatible' */
  readonly provider: ProviderId;
  readonly modelId: string;
  doGenerate(call: ModelCall): Promise<ModelResult>;
  doStream(call: ModelCall): AsyncIterable<ModelStreamPart>;
}

export const PROVIDER_IDS = ['openai', 'anthropic', 'openai-compatible'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

export const priceSchema = z
  .strictObject({
    inputPerMillion: z.number().min(0).describe('USD per million input tokens'),
    outputPerMillion: z.number().min(0).describe('USD per million output tokens'),
  })
  .describe('Price overriding the built-in table for this model');

/**
 * How a model is reached. One schema for llm.chat's config, agent bindings, run_agent, compare_agents
 * and replay_llm_calls. Holds the *name* of the key's environment variable, never the key.
 */
export const modelSettingsSchema = z.strictObject({
  provider: z.enum(PROVIDER_IDS).default('openai').describe('openai, anthropic, or openai-compatible (Ollama, vLLM, llama.cpp, LM Studio, OpenRouter… by baseUrl)'),
  model: z.string().min(1).describe('Model id, e.g. gpt-4o-mini or claude-sonnet-4-5'),
  // No JSON Schema `format`: MCP clients validating in ajv strict mode without formats would drop the tool.
  baseUrl: z.string().refine((value) => URL.canParse(value), 'must be a URL').optional().describe('API base URL (required for openai-compatible), e.g. http://localhost:11434/v1'),
  apiKeyEnv: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
    .optional()
    .describe('Environment variable holding the API key (default OPENAI_API_KEY or ANTHROPIC_API_KEY)'),
  timeoutMs: z.number().int().positive().default(60_000).describe('Time limit per HTTP request'),
  maxRetries: z.number().int().min(0).max(10).default(2).describe('Retries on 408/409/429/5xx, honouring retry-after'),
  price: priceSchema.optional(),
});
export type ModelSettings = z.output<typeof modelSettingsSchema>;
export type ModelSettingsInput = z.input<typeof modelSettingsSchema>;

/**
 * What a node or agent gets for an `llm` binding. `model` is traced: every HTTP request it makes is
 * an `llm` span with tokens and cost. The SDK clients are configured the same way (key, base URL,
 * timeout, retries, the same traced fetch), for frameworks whose loop is the SDK's own.
 */
export interface LlmBinding {
  readonly settings: ModelSettings;
  readonly model: LanguageModel;
  /** Throws FRAMEWORK_PROVIDER_MISMATCH when the provider does not speak the OpenAI API. */
  openaiClient(): OpenAI;
  /** Throws FRAMEWORK_PROVIDER_MISMATCH when the provider is not anthropic. */
  anthropicClient(): Anthropic;
}
