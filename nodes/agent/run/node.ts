import { z } from 'zod';
import { agentModules } from '../../../agents/index.js';
import { AGENT_FRAMEWORK_IDS, agentFailure, findFramework, runAgent, type AgentResult } from '../../../src/agent-kit/index.js';
import { PipelaneError, carriedMeta, defineNode, isPipelaneError } from '../../../src/node-kit/index.js';
import { promptTextSchema, resolveSystemPrompt } from '../../../src/prompts/index.js';
import { agentQuestion } from './agent-question.js';

const DEFAULT_SYSTEM = 'prompt:agent-system';
/** Used only when prompts/agent-system.md cannot be found (a PIPELANE_PROMPTS_DIR without it). */
const FALLBACK_SYSTEM = 'You are a careful assistant. Use the tools when they help; answer in plain text once you know the answer.';

const config = z.object({
  framework: z
    .enum(AGENT_FRAMEWORK_IDS)
    .default('native')
    .describe('Agent framework that runs the tool loop: native and langgraph work with every provider, openai-tools with openai and openai-compatible, anthropic-tools with anthropic'),
  system: promptTextSchema('System prompt').default(DEFAULT_SYSTEM),
  maxSteps: z.number().int().min(1).max(100).default(8).describe('Model calls at most; the agent fails with AGENT_MAX_STEPS beyond'),
  temperature: z.number().min(0).max(2).optional().describe('Sampling temperature (model default when unset)'),
  maxTokens: z.number().int().positive().optional().describe('Output tokens per model call at most'),
});

export default defineNode({
  type: 'agent.run',
  title: 'Agent',
  description:
    'Answers a question with a tool-calling agent: the model of its "llm" binding (an llm.chat node) calls the tools of its "tools" binding ' +
    '(nodes of the pipeline, and saved pipelines as "pipe:<name>") until it can answer. The same task runs on any framework ' +
    '(langgraph, openai-tools, anthropic-tools, native); every model call and tool call is a span under one agent-step span, ' +
    'and the answer carries tokens, cost and steps. Example: "uses": {"llm": "gpt", "tools": ["ocr", "pipe:invoice-ocr"]}.',
  inputs: ['question'],
  outputs: ['answer'],
  config,
  uses: {
    llm: { kind: 'llm', min: 1, max: 1, description: 'The model the agent thinks with: the id of a node that serves as a model (llm.chat)' },
    tools: { kind: 'tools', min: 0, description: 'Tools the agent may call: node ids of this pipeline, or saved pipelines as pipe:<name>' },
  },
  timeoutMs: 300_000,
  examples: [
    { title: 'Native loop, default system prompt', config: {} },
    { title: 'LangGraph, at most 4 model calls', config: { framework: 'langgraph', maxSteps: 4 } },
  ],
  async process(question, ctx) {
    const framework = findFramework(
      agentModules.map((module) => module.definition),
      ctx.config.framework,
      '/config/framework',
    );
    const result = await runAgent(
      framework,
      {
        question: agentQuestion(question),
        system: systemPrompt(ctx.config.system, ctx.warn),
        tools: ctx.tools('tools'),
        llm: ctx.llm('llm'),
        maxSteps: ctx.config.maxSteps,
        ...(ctx.config.temperature !== undefined ? { temperature: ctx.config.temperature } : {}),
        ...(ctx.config.maxTokens !== undefined ? { maxTokens: ctx.config.maxTokens } : {}),
      },
      { runId: ctx.runId, signal: ctx.signal, logger: ctx.logger },
    );
    ctx.setAttributes(spanAttributes(result));
    if (result.error) throw nodeError(agentFailure(result) ?? new PipelaneError(result.error.code, result.error.message, { hint: result.error.hint ?? '' }));
    await ctx.emit('answer', {
      text: result.answer,
      usage: result.usage,
      meta: {
        ...carriedMeta(question.meta ?? {}),
        framework: result.framework,
        steps: result.steps.length,
        toolCalls: result.steps.filter((step) => step.kind === 'tool').map((step) => step.name),
        costUsd: result.costUsd,
        latencyMs: result.latencyMs,
      },
    });
  },
});

function systemPrompt(value: string, warn: (message: string) => void): string {
  try {
    return resolveSystemPrompt(value);
  } catch (error) {
    if (value !== DEFAULT_SYSTEM || !isPipelaneError(error) || !['PROMPT_NOT_FOUND', 'PROMPTS_DIR_NOT_FOUND'].includes(error.code)) throw error;
    warn(`${error.message} Using the built-in agent system prompt.`);
    return FALLBACK_SYSTEM;
  }
}

function spanAttributes(result: AgentResult): Record<string, unknown> {
  return {
    'agent.framework': result.framework,
    'agent.steps': result.steps.length,
    'gen_ai.usage.input_tokens': result.usage.inputTokens,
    'gen_ai.usage.output_tokens': result.usage.outputTokens,
    'cost.usd': result.costUsd,
    'agent.latency_ms': result.latencyMs,
  };
}

/** Config fields that fix an agent error, by code. */
const ERROR_PATHS: Record<string, string> = { AGENT_MAX_STEPS: '/config/maxSteps', FRAMEWORK_PROVIDER_MISMATCH: '/config/framework' };

/** The agent's typed error, pointing at the config field to change where there is one. */
function nodeError(failure: PipelaneError): PipelaneError {
  const path = ERROR_PATHS[failure.code];
  if (path === undefined || failure.path !== '') return failure;
  return new PipelaneError(failure.code, failure.message, {
    hint: failure.hint,
    path,
    retryable: failure.retryable,
    ...(failure.details ? { details: failure.details } : {}),
  });
}
