import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { z } from 'zod';
import {
  agentSetupOf,
  compareAgents,
  compareAgentsArgsSchema,
  replayArgsSchema,
  replayLlmCalls,
  runAgentArgsSchema,
  runAgentTask,
  type AgentRunRecord,
  type CompareResult,
  type ReplayResult,
} from '../../agents-service/index.js';
import { AGENT_FRAMEWORK_IDS } from '../../agent-kit/index.js';
import { PipelaneError } from '../../node-kit/index.js';
import { PROVIDER_IDS } from '../../providers/index.js';
import { createApp, type App } from '../app.js';
import { EXIT_OK, EXIT_RUN_FAILED, EXIT_USAGE, printJson, reportError } from '../output.js';

interface ModelOptions {
  provider?: string;
  model?: string;
  baseUrl?: string;
  apiKeyEnv?: string;
  json?: boolean;
}

interface AgentOptions extends ModelOptions {
  framework?: string;
  tools?: string;
  system?: string;
  maxSteps?: string;
  temperature?: string;
}

interface ReplayOptions extends ModelOptions {
  limit?: string;
}

const modelOptions = (command: Command): Command =>
  command
    .option('--provider <id>', `model provider (${PROVIDER_IDS.join(', ')})`, 'openai')
    .requiredOption('--model <id>', 'model id, e.g. gpt-4o-mini or claude-haiku-4-5')
    .option('--base-url <url>', 'API base URL (required for openai-compatible)')
    .option('--api-key-env <name>', 'environment variable holding the API key')
    .option('--json', 'print exactly one JSON object (the MCP tool\'s structured result)');

export function registerAgentCommands(program: Command): void {
  modelOptions(
    program
      .command('agent')
      .description('Answer a question with a tool-calling agent (the run_agent tool): answer on stdout, steps on stderr')
      .argument('<question>', 'what the agent is asked')
      .requiredOption('--framework <id>', `agent framework (${AGENT_FRAMEWORK_IDS.join(', ')})`)
      .option('--tools <list>', 'comma-separated node types and pipe:<name> saved pipelines, e.g. chunk.text,pipe:redact')
      .option('--system <text>', 'system prompt: literal text or prompt:<name>')
      .option('--max-steps <n>', 'model calls at most')
      .option('--temperature <t>', 'sampling temperature'),
  ).action(async (question: string, options: AgentOptions) => {
    process.exitCode = await withApp(options.json, async (app, signal) => {
      const args = parse(runAgentArgsSchema, {
        question,
        framework: options.framework,
        ...modelArgs(options),
        ...(options.tools ? { tools: options.tools.split(',').map((entry) => entry.trim()).filter(Boolean) } : {}),
        ...(options.system !== undefined ? { system: options.system } : {}),
        ...(options.maxSteps !== undefined ? { maxSteps: Number(options.maxSteps) } : {}),
        ...(options.temperature !== undefined ? { temperature: Number(options.temperature) } : {}),
      });
      const record = await runAgentTask(app, agentSetupOf(args), { signal });
      printAgentRun(record, options.json === true);
      return record.error ? EXIT_RUN_FAILED : EXIT_OK;
    });
  });

  program
    .command('compare-agents')
    .description('Run one task through several (framework, model) variants concurrently (the compare_agents tool) and print the table')
    .argument('<file>', 'JSON file with the compare_agents arguments: {question, tools?, variants: [{framework, provider, model, …}], judge?}')
    .option('--json', 'print exactly one JSON object: {rows, judged, judge?, judgeRunId?}')
    .action(async (file: string, options: { json?: boolean }) => {
      process.exitCode = await withApp(options.json, async (app, signal) => {
        let document: unknown;
        try {
          document = JSON.parse(await readFile(resolve(file), 'utf8'));
        } catch (error) {
          throw new PipelaneError('USAGE', `Cannot read ${file} as JSON: ${(error as Error).message}`, { hint: 'Give a JSON file with {question, variants: [{framework, provider, model}]}.' });
        }
        const result = await compareAgents(app, parse(compareAgentsArgsSchema, document), { signal });
        printComparison(result, options.json === true);
        return result.rows.every((row) => row.error === null) ? EXIT_OK : EXIT_RUN_FAILED;
      });
    });

  modelOptions(
    program
      .command('replay')
      .description('Send the LLM calls of a run to another model (the replay_llm_calls tool) and print both side by side')
      .argument('<runId>', 'run whose LLM calls are replayed')
      .option('--limit <n>', 'replay at most this many calls'),
  ).action(async (runId: string, options: ReplayOptions) => {
    process.exitCode = await withApp(options.json, async (app, signal) => {
      const args = parse(replayArgsSchema, { runId, ...modelArgs(options), ...(options.limit !== undefined ? { limit: Number(options.limit) } : {}) });
      const result = await replayLlmCalls(app, args, { signal });
      printReplay(result, options.json === true);
      return result.calls.some((call) => call.replay.error) ? EXIT_RUN_FAILED : EXIT_OK;
    });
  });
}

function modelArgs(options: ModelOptions): Record<string, unknown> {
  return {
    provider: options.provider,
    model: options.model,
    ...(options.baseUrl !== undefined ? { baseUrl: options.baseUrl } : {}),
    ...(options.apiKeyEnv !== undefined ? { apiKeyEnv: options.apiKeyEnv } : {}),
  };
}

function parse<Schema extends z.ZodType>(schema: Schema, value: unknown): z.output<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue?.path.length ? issue.path.join('.') : 'arguments';
  throw new PipelaneError('USAGE', `${where}: ${issue?.message ?? 'invalid'}.`, { hint: 'See the command\'s --help for the options and their values.' });
}

/** Runs `work` with the app and a signal Ctrl-C aborts; typed errors print like every command's. */
async function withApp(json: boolean | undefined, work: (app: App, signal: AbortSignal) => Promise<number>): Promise<number> {
  const controller = new AbortController();
  const onSignal = () => {
    process.stderr.write('\ncancelling…\n');
    controller.abort();
  };
  process.once('SIGINT', onSignal);
  let app: App | undefined;
  try {
    app = await createApp();
    return await work(app, controller.signal);
  } catch (error) {
    const code = reportError(error, json);
    return error instanceof PipelaneError && error.code === 'AGENT_SETUP_INVALID' ? EXIT_USAGE : code;
  } finally {
    process.off('SIGINT', onSignal);
    await app?.close();
  }
}

function printAgentRun(record: AgentRunRecord, json: boolean): void {
  if (json) return printJson(record);
  for (const step of record.steps) {
    const tokens = step.inputTokens !== undefined ? ` ${step.inputTokens}→${step.outputTokens ?? 0} tokens` : '';
    process.stderr.write(`  ${step.kind.padEnd(4)} ${step.name.padEnd(24)} ${String(step.durationMs).padStart(6)} ms${tokens}${step.error ? `  ${step.error}` : ''}\n`);
  }
  if (record.error) process.stderr.write(`error ${record.error.code}: ${record.error.message}\n  hint: ${record.error.hint ?? ''}\n`);
  else process.stdout.write(`${record.answer}\n`);
  process.stderr.write(
    `\n${record.framework} ${record.provider}:${record.model}: ${record.usage.inputTokens}→${record.usage.outputTokens} tokens, ${formatCost(record.costUsd)}, ${record.latencyMs} ms\n` +
      `run ${record.runId}; see it with: pipelane traces --run ${record.runId}\n`,
  );
}

function printComparison(result: CompareResult, json: boolean): void {
  if (json) return printJson(result);
  const header = ['label', 'steps', 'tokens in→out', 'cost', 'latency', ...(result.judged ? ['score'] : []), 'answer or error'];
  const lines = result.rows.map((row) => [
    row.label,
    String(row.steps),
    `${row.inputTokens}→${row.outputTokens}`,
    formatCost(row.costUsd),
    `${row.latencyMs} ms`,
    ...(result.judged ? [row.judgeScore === null ? '-' : String(row.judgeScore)] : []),
    row.error ? `${row.error.code}: ${row.error.message}` : row.answer.replace(/\s+/g, ' ').slice(0, 80),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column]!.length)));
  for (const line of [header, ...lines]) process.stdout.write(line.map((cell, column) => (column === line.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ') + '\n');
  if (result.judged) process.stderr.write(`judged by ${result.judge} (run ${result.judgeRunId})\n`);
}

function printReplay(result: ReplayResult, json: boolean): void {
  if (json) return printJson(result);
  for (const [index, call] of result.calls.entries()) {
    const shown = (side: { text: string; toolCalls: Array<{ name: string }> }) => (side.toolCalls.length ? `tools: ${side.toolCalls.map((toolCall) => toolCall.name).join(', ')}` : side.text.replace(/\s+/g, ' ').slice(0, 100));
    process.stdout.write(`#${index + 1} ${call.original.model}: ${shown(call.original)}\n   ${call.replay.model}: ${call.replay.error ? `${call.replay.error.code}: ${call.replay.error.message}` : shown(call.replay)}\n`);
  }
  const { original, replay } = result.totals;
  process.stdout.write(`\ntotal original ${original.tokens} tokens ${formatCost(original.costUsd)}; replay ${replay.tokens} tokens ${formatCost(replay.costUsd)}\n`);
  if (result.skipped > 0) process.stderr.write(`${result.skipped} call(s) not replayed (--limit)\n`);
  process.stderr.write(`replay run ${result.replayRunId}\n`);
}

function formatCost(cost: number | null): string {
  return cost === null ? 'cost unknown' : `$${cost.toFixed(6)}`;
}
