import { z } from 'zod';
import { AGENT_FRAMEWORK_IDS } from '../agent-kit/spec.js';
import { modelSettingsSchema } from '../providers/spec.js';
import { traceErrorSchema } from '../trace/index.js';

/**
 * Arguments and results of run_agent, compare_agents and replay_llm_calls, shared by the MCP tools
 * and the CLI. Model fields come from modelSettingsSchema and frameworks from AGENT_FRAMEWORK_IDS,
 * so a new provider or framework shows up here without an edit.
 */

const frameworkSchema = z.enum(AGENT_FRAMEWORK_IDS).describe(`Agent framework: ${AGENT_FRAMEWORK_IDS.join(', ')}`);

/** The task every variant of a comparison shares. */
export const agentTaskShape = {
  question: z.string().min(1).max(100_000).describe('What the agent is asked'),
  tools: z
    .array(z.string().min(1))
    .max(32)
    .optional()
    .describe('Tools the agent may call: node types (e.g. chunk.text; tool name chunk_text) or saved pipelines as pipe:<name> (tool pipe_<name>)'),
  system: z.string().min(1).optional().describe('System prompt: literal text, or prompt:<name> for prompts/<name>.md (default prompt:agent-system)'),
  maxSteps: z.number().int().min(1).max(100).optional().describe('Model calls at most (default 8); the agent fails with AGENT_MAX_STEPS beyond'),
  temperature: z.number().min(0).max(2).optional().describe('Sampling temperature (the model default when unset)'),
  maxTokens: z.number().int().positive().optional().describe('Output tokens per model call at most'),
};

export const runAgentArgsSchema = z.object({
  ...agentTaskShape,
  framework: frameworkSchema,
  ...modelSettingsSchema.shape,
});
export type RunAgentArgs = z.input<typeof runAgentArgsSchema>;

export const agentVariantSchema = z
  .object({
    framework: frameworkSchema,
    ...modelSettingsSchema.shape,
    label: z.string().min(1).max(80).optional().describe('Row label (default "<framework> <provider>:<model>")'),
  })
  .describe('One (framework, model) pair to run the task through');
export type AgentVariant = z.input<typeof agentVariantSchema>;

export const compareAgentsArgsSchema = z.object({
  ...agentTaskShape,
  variants: z.array(agentVariantSchema).min(1).max(16).describe('The (framework, model) pairs; each runs concurrently as its own run'),
  judge: modelSettingsSchema
    .optional()
    .describe('Model that scores each answer 0-10 with prompts/judge.md (default: PIPELANE_JUDGE_MODEL="provider:model", else no judging)'),
});
export type CompareAgentsArgs = z.input<typeof compareAgentsArgsSchema>;

export const replayArgsSchema = z.object({
  runId: z.string().min(1).describe('Run whose LLM calls are replayed (from run_agent, run_pipeline or query_traces)'),
  ...modelSettingsSchema.shape,
  limit: z.number().int().min(1).max(100).optional().describe('Replay at most this many calls, in the order they were made (default 20)'),
});
export type ReplayArgs = z.input<typeof replayArgsSchema>;

export const usageSchema = z.object({ inputTokens: z.number(), outputTokens: z.number() });
const costSchema = z.number().nullable().describe('USD; null when a model has no known price');

export const agentStepSchema = z.object({
  spanId: z.string().describe('Span in get_run'),
  kind: z.enum(['llm', 'tool']),
  name: z.string().describe('Tool name, or the model id of an LLM call'),
  status: z.string(),
  input: z.string().describe('Preview of the arguments or the last messages (empty when trace previews are off)'),
  output: z.string().describe('Preview of the result or the answer'),
  durationMs: z.number(),
  inputTokens: z.number().optional(),
  outputTokens: z.number().optional(),
  costUsd: costSchema.optional(),
  error: z.string().optional(),
});
export type AgentStepRecord = z.output<typeof agentStepSchema>;

export const agentRunShape = {
  runId: z.string().describe('Run id for get_run and replay_llm_calls'),
  framework: z.string(),
  provider: z.string(),
  model: z.string(),
  answer: z.string(),
  steps: z.array(agentStepSchema).describe('LLM and tool calls of the agent, in start order'),
  usage: usageSchema,
  costUsd: costSchema,
  latencyMs: z.number(),
  error: traceErrorSchema.optional().describe('Why the agent failed or was cancelled'),
};
export const agentRunSchema = z.object(agentRunShape);
export type AgentRunRecord = z.output<typeof agentRunSchema>;

export const compareRowSchema = z.object({
  label: z.string(),
  framework: z.string(),
  provider: z.string(),
  model: z.string(),
  answer: z.string(),
  steps: z.number().describe('LLM and tool calls made'),
  toolCalls: z.array(z.string()).describe('Tools called, in order'),
  inputTokens: z.number(),
  outputTokens: z.number(),
  costUsd: costSchema,
  latencyMs: z.number(),
  error: traceErrorSchema.nullable(),
  judgeScore: z.number().nullable().describe('0-10, null when not judged or the judge reply was unusable'),
  judgeReason: z.string().nullable(),
  runId: z.string().nullable().describe('null when the variant could not start (invalid setup)'),
});
export type CompareRow = z.output<typeof compareRowSchema>;

export const compareResultShape = {
  rows: z.array(compareRowSchema),
  judged: z.boolean(),
  judge: z.string().optional().describe('provider:model of the judge'),
  judgeRunId: z.string().optional().describe('Run holding the judge calls (pipeline "judge")'),
};
export type CompareResult = { rows: CompareRow[]; judged: boolean; judge?: string; judgeRunId?: string };

const toolCallSchema = z.object({ id: z.string(), name: z.string(), arguments: z.record(z.string(), z.unknown()) });

export const replayCallSchema = z.object({
  spanId: z.string().describe('The original llm span'),
  original: z.object({
    model: z.string(),
    text: z.string(),
    toolCalls: z.array(toolCallSchema),
    inputTokens: z.number().nullable(),
    outputTokens: z.number().nullable(),
    costUsd: costSchema,
  }),
  replay: z.object({
    model: z.string(),
    text: z.string(),
    toolCalls: z.array(toolCallSchema),
    inputTokens: z.number().nullable(),
    outputTokens: z.number().nullable(),
    costUsd: costSchema,
    latencyMs: z.number(),
    error: traceErrorSchema.optional(),
  }),
});
export type ReplayCall = z.output<typeof replayCallSchema>;

const totalsSchema = z.object({ inputTokens: z.number(), outputTokens: z.number(), tokens: z.number(), costUsd: costSchema });
export type ReplayTotals = z.output<typeof totalsSchema>;

export const replayResultShape = {
  runId: z.string(),
  replayRunId: z.string().describe('Run holding the replayed calls (pipeline "replay")'),
  calls: z.array(replayCallSchema),
  skipped: z.number().describe('Recorded calls left out by limit'),
  totals: z.object({ original: totalsSchema, replay: totalsSchema }),
};
export type ReplayResult = {
  runId: string;
  replayRunId: string;
  calls: ReplayCall[];
  skipped: number;
  totals: { original: ReplayTotals; replay: ReplayTotals };
};
