import type { Logger } from 'pino';
import type { LlmBinding, Usage } from '../providers/spec.js';
import type { TraceError } from '../trace/index.js';

export const AGENT_FRAMEWORK_IDS = ['langgraph', 'openai-tools', 'anthropic-tools', 'native'] as const;
export type AgentFrameworkId = (typeof AGENT_FRAMEWORK_IDS)[number];

/** What a tool returns to the model. Failures come back in-band (`isError`) so the model can fix its call. */
export interface ToolOutput {
  content: string;
  isError?: boolean;
}

/**
 * A tool an agent may call: a node of the pipeline, or a saved pipeline (`pipe:<name>`, tool name
 * `pipe_<name>`). `invoke` is already traced (a `tool` span with arguments and result) and throws
 * only when the run is cancelled.
 */
export interface AgentTool {
  /** ^[A-Za-z0-9_-]{1,64}$ — what every provider accepts. */
  name: string;
  description: string;
  /** JSON Schema with `type: "object"` at the root. */
  inputSchema: Record<string, unknown>;
  invoke(args: Record<string, unknown>, options: { signal: AbortSignal; toolCallId?: string }): Promise<ToolOutput>;
}

export interface AgentTask {
  question: string;
  system?: string;
  tools: AgentTool[];
  llm: LlmBinding;
  /** Upper bound on model calls; the loop stops with AGENT_MAX_STEPS when it is reached. */
  maxSteps: number;
  temperature?: number;
  maxTokens?: number;
}

export interface AgentContext {
  readonly runId: string;
  /** Aborted when the run is cancelled: stop calling the model and tools at once. */
  readonly signal: AbortSignal;
  readonly logger: Logger;
}

/** One step as measured by Pipelane (not by the framework): an LLM call or a tool call. */
export interface AgentStep {
  kind: 'llm' | 'tool';
  /** Tool name, or the model id for an LLM call. */
  name: string;
  input: string;
  output: string;
  durationMs: number;
  usage?: Usage;
  costUsd?: number | null;
  error?: string;
}

export interface AgentResult {
  framework: AgentFrameworkId;
  answer: string;
  steps: AgentStep[];
  usage: Usage;
  /** Null when a model has no known price. */
  costUsd: number | null;
  latencyMs: number;
  error?: TraceError;
}

/**
 * One framework adapter (`agents/<id>/adapter.ts`). `run` returns only the final answer: steps,
 * usage and cost are measured around it, from the spans of the traced model and tools, so every
 * framework is measured the same way. Framework types (BaseMessage, SDK params) never leave the folder.
 */
export interface AgentFramework {
  id: AgentFrameworkId;
  title: string;
  description: string;
  run(task: AgentTask, ctx: AgentContext): Promise<{ answer: string }>;
}

export function defineAgent(definition: AgentFramework): AgentFramework {
  return definition;
}
