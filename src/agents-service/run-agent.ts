import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { PipelaneError } from '../node-kit/index.js';
import { createPipelineLibrary, validatePipeline } from '../pipeline/index.js';
import { agentStepsOf, agentTotalsOf } from './agent-steps.js';
import { buildAgentPipeline, toArgumentProblem, type AgentSetup } from './agent-pipeline.js';
import type { AgentRunRecord, RunAgentArgs } from './schemas.js';
import { apiKeysOf, redactResult } from './secrets.js';
import type { AgentServiceDeps, ServiceCallOptions } from './types.js';

export type { AgentSetup } from './agent-pipeline.js';

/** run_agent's arguments as a setup: the task fields, and the model settings apart. */
export function agentSetupOf(args: RunAgentArgs): AgentSetup {
  const { question, framework, tools, system, maxSteps, temperature, maxTokens, ...model } = args;
  return { question, framework, model, tools, system, maxSteps, temperature, maxTokens };
}

/**
 * Runs one agent task as an ordinary pipeline run (see buildAgentPipeline), so it is validated,
 * traced and cancellable like any other run. A setup the validator refuses throws
 * AGENT_SETUP_INVALID with every problem pointed at the argument to change; a run that fails or
 * is cancelled comes back with `error` set (and whatever steps it made).
 */
export async function runAgentTask(deps: AgentServiceDeps, setup: AgentSetup, options: ServiceCallOptions = {}): Promise<AgentRunRecord> {
  const { document, origins } = buildAgentPipeline(setup);
  const pipelines = createPipelineLibrary(join(deps.workspaceRoot, 'pipelines'));
  const validation = validatePipeline(document, deps.registry, { pipelines, ...(deps.env ? { env: deps.env } : {}) });
  if (!validation.valid) {
    const problems = validation.problems.filter((problem) => problem.severity === 'error').map((problem) => toArgumentProblem(problem, origins));
    throw new PipelaneError('AGENT_SETUP_INVALID', `The agent cannot be set up: ${problems.map((problem) => `${problem.code}${problem.path ? ` at ${problem.path}` : ''}: ${problem.message}`).join(' ')}`, {
      hint: problems[0]?.hint ?? 'Fix the arguments named in the problems and call again.',
      ...(problems[0]?.path ? { path: problems[0].path } : {}),
      details: { problems },
    });
  }
  const runId = options.runId ?? randomUUID();
  const result = await deps.engine.run({
    pipeline: document,
    inputs: [{ text: setup.question }],
    runId,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(deps.env ? { env: deps.env } : {}),
    inputSummary: setup.question.length > 200 ? `${setup.question.slice(0, 200)}…` : setup.question,
  });
  deps.logger.debug(
    { runId: result.runId, framework: setup.framework, provider: setup.model.provider ?? 'openai', model: setup.model.model, apiKeyEnv: setup.model.apiKeyEnv, status: result.status, error: result.error },
    'agent run finished',
  );
  const answers = (result.outputs.answer ?? []) as Array<{ text?: unknown }>;
  const totals = agentTotalsOf(result.spans);
  return redactResult({
    runId: result.runId,
    framework: setup.framework,
    provider: String(setup.model.provider ?? 'openai'),
    model: setup.model.model,
    answer: typeof answers[0]?.text === 'string' ? answers[0].text : '',
    steps: agentStepsOf(result.spans),
    usage: { inputTokens: totals.inputTokens, outputTokens: totals.outputTokens },
    costUsd: totals.costUsd,
    latencyMs: totals.latencyMs ?? result.durationMs,
    ...(result.error ? { error: result.error } : {}),
  }, apiKeysOf([setup.model], deps.env ?? process.env));
}
