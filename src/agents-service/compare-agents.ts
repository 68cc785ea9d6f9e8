import { isAbortError, isPipelaneError } from '../node-kit/index.js';
import type { ModelSettingsInput } from '../providers/index.js';
import { judgeAnswer, judgeSettings, type JudgeVerdict } from './judge.js';
import { runAgentTask } from './run-agent.js';
import type { AgentRunRecord, CompareAgentsArgs, CompareResult, CompareRow } from './schemas.js';
import { traceErrorOf, withTracedRun } from './traced-run.js';
import { apiKeysOf, redactResult } from './secrets.js';
import type { AgentServiceDeps, ServiceCallOptions } from './types.js';

/**
 * One task through several (framework, model) variants at once, each its own run, then (with a
 * judge) every answer scored in one run named "judge". A variant that fails is a row with `error`;
 * only a cancel stops the whole comparison.
 */
export async function compareAgents(deps: AgentServiceDeps, args: CompareAgentsArgs, options: ServiceCallOptions = {}): Promise<CompareResult> {
  const env = deps.env ?? process.env;
  // A bad PIPELANE_JUDGE_MODEL fails before any agent runs.
  const judge = judgeSettings(args.judge, env);
  const total = args.variants.length + (judge ? 1 : 0);
  let done = 0;
  const progress = (message: string) => options.onProgress?.({ done: ++done, total, message });
  const labels = uniqueLabels(args.variants.map((variant) => variant.label ?? `${variant.framework} ${variant.provider ?? 'openai'}:${variant.model}`));

  const rows = await Promise.all(
    args.variants.map(async (variant, index): Promise<CompareRow> => {
      const { framework, label: _label, ...model } = variant;
      const base = { label: labels[index]!, framework, provider: String(model.provider ?? 'openai'), model: model.model };
      try {
        const record = await runAgentTask(
          deps,
          {
            question: args.question,
            framework,
            model,
            tools: args.tools,
            system: args.system,
            maxSteps: args.maxSteps,
            temperature: args.temperature,
            maxTokens: args.maxTokens,
          },
          { ...(options.signal ? { signal: options.signal } : {}) },
        );
        progress(`${base.label}: ${record.error ? record.error.code : 'answered'}`);
        return rowOf(base, record);
      } catch (error) {
        if (options.signal?.aborted || isAbortError(error) || !isPipelaneError(error)) throw error;
        progress(`${base.label}: ${error.code}`);
        return { ...base, answer: '', steps: 0, toolCalls: [], inputTokens: 0, outputTokens: 0, costUsd: null, latencyMs: 0, error: traceErrorOf(error), judgeScore: null, judgeReason: null, runId: null };
      }
    }),
  );
  options.signal?.throwIfAborted();
  deps.logger.debug({ variants: rows.map((row) => ({ label: row.label, runId: row.runId, error: row.error?.code })) }, 'compare_agents variants finished');
  if (!judge) return { rows, judged: false };
  const { runId, verdicts } = await judgeRows(deps, judge, args.question, rows, env, options.signal);
  progress('judged');
  return redactResult({
    rows: rows.map((row, index) => ({ ...row, judgeScore: verdicts[index]!.score, judgeReason: verdicts[index]!.reason })),
    judged: true,
    judge: `${judge.provider ?? 'openai'}:${judge.model}`,
    judgeRunId: runId,
  }, apiKeysOf([judge], env));
}

function rowOf(base: Pick<CompareRow, 'label' | 'framework' | 'provider' | 'model'>, record: AgentRunRecord): CompareRow {
  return {
    ...base,
    answer: record.answer,
    steps: record.steps.length,
    toolCalls: record.steps.filter((step) => step.kind === 'tool').map((step) => step.name),
    inputTokens: record.usage.inputTokens,
    outputTokens: record.usage.outputTokens,
    costUsd: record.costUsd,
    latencyMs: record.latencyMs,
    error: record.error ?? null,
    judgeScore: null,
    judgeReason: null,
    runId: record.runId,
  };
}

async function judgeRows(
  deps: AgentServiceDeps,
  judge: ModelSettingsInput,
  question: string,
  rows: CompareRow[],
  env: NodeJS.ProcessEnv,
  signal: AbortSignal | undefined,
): Promise<{ runId: string; verdicts: JudgeVerdict[] }> {
  const { runId, value } = await withTracedRun(deps, { pipeline: 'judge', signal, inputSummary: `judge ${rows.length} answer(s): ${question.slice(0, 120)}` }, (run) =>
    Promise.all(
      rows.map(async (row): Promise<JudgeVerdict> => {
        if (row.error) return { score: null, reason: `Not judged: the agent failed (${row.error.code}).` };
        try {
          return await judgeAnswer(run, judge, { label: row.label, question, answer: row.answer }, env, run.context.signal);
        } catch (error) {
          if (run.context.signal.aborted) throw error;
          const failure = traceErrorOf(error, run.context.secrets);
          return { score: null, reason: `The judge call failed: ${failure.code}: ${failure.message}` };
        }
      }),
    ),
  );
  deps.logger.debug({ judgeRunId: runId, scores: value.map((verdict) => verdict.score) }, 'compare_agents judged');
  return { runId, verdicts: value };
}

function uniqueLabels(labels: string[]): string[] {
  const seen = new Map<string, number>();
  return labels.map((label) => {
    const count = (seen.get(label) ?? 0) + 1;
    seen.set(label, count);
    return count === 1 ? label : `${label} #${count}`;
  });
}
