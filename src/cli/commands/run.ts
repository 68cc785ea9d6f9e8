import type { Command } from 'commander';
import { basename, resolve } from 'node:path';
import { toJsonSafe, type RunResult } from '../../engine/index.js';
import { PipelaneError } from '../../node-kit/index.js';
import { createApp } from '../app.js';
import { EXIT_OK, EXIT_RUN_FAILED, EXIT_USAGE, printJson, reportError } from '../output.js';
import { loadPipelineArgument } from '../pipeline-arg.js';
import { formatOutputs } from '../format-outputs.js';

interface RunOptions {
  input?: string;
  text?: string;
  json?: boolean;
  timeout?: string;
}

export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('Run a pipeline on a file or a text; progress goes to stderr, the result to stdout')
    .argument('<pipe>', 'a *.pipe.json file, or the name of one in pipelines/')
    .option('-i, --input <file>', 'input file for the source node')
    .option('-t, --text <string>', 'input text for the source node')
    .option('--json', 'print exactly one JSON object: {runId, status, outputs, warnings, error?, durationMs, traceLocation}')
    .option('--timeout <ms>', 'abort the run after this many milliseconds')
    .action(async (pipe: string, options: RunOptions) => {
      process.exitCode = await runCommand(pipe, options);
    });
}

async function runCommand(pipe: string, options: RunOptions): Promise<number> {
  if ((options.input === undefined) === (options.text === undefined)) {
    return reportError(new PipelaneError('USAGE', 'Give exactly one of --input <file> or --text <string>.', { hint: 'Example: pipelane run pipelines/scan-to-redacted-chunks.pipe.json --input samples/scanned-invoice.png' }), options.json);
  }
  const timeoutMs = options.timeout === undefined ? undefined : Number(options.timeout);
  if (timeoutMs !== undefined && !(timeoutMs > 0)) {
    return reportError(new PipelaneError('USAGE', `--timeout must be a positive number of milliseconds, got "${options.timeout}".`, { hint: 'Example: --timeout 60000' }), options.json);
  }
  const app = await createApp();
  const controller = new AbortController();
  const onSignal = () => {
    process.stderr.write('\ncancelling…\n');
    controller.abort();
  };
  process.once('SIGINT', onSignal);
  try {
    const pipeline = await loadPipelineArgument(pipe);
    const input = options.input !== undefined ? { path: resolve(options.input), name: basename(options.input) } : { text: options.text! };
    const started = Date.now();
    const result = await app.engine.run({
      pipeline,
      inputs: [input],
      signal: controller.signal,
      ...(timeoutMs ? { timeoutMs } : {}),
      inputSummary: options.input ?? (options.text ?? '').slice(0, 80),
      onProgress: (event) => {
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        process.stderr.write(`[${seconds}s] ${event.nodeId}: ${event.kind === 'item-failed' ? 'skipped an item' : `${event.itemsDone} item(s) done`}\n`);
      },
    });
    print(result, options.json === true);
    return result.status === 'succeeded' ? EXIT_OK : EXIT_RUN_FAILED;
  } catch (error) {
    const code = reportError(error, options.json);
    return code === EXIT_RUN_FAILED ? EXIT_RUN_FAILED : EXIT_USAGE;
  } finally {
    process.off('SIGINT', onSignal);
    await app.close();
  }
}

function print(result: RunResult, json: boolean): void {
  const { spans: _spans, pipeline: _pipeline, ...shape } = result;
  if (json) {
    printJson(toJsonSafe(shape));
    return;
  }
  if (result.status === 'succeeded') process.stdout.write(formatOutputs(result.outputs));
  for (const warning of result.warnings) process.stderr.write(`warning: ${warning}\n`);
  if (result.error) process.stderr.write(`error ${result.error.code}: ${result.error.message}\n  hint: ${result.error.hint ?? ''}\n`);
  process.stderr.write(`\nrun ${result.runId} ${result.status} in ${result.durationMs} ms\ntrace: ${result.traceLocation ?? '(not stored)'} — see it with: pipelane traces --run ${result.runId}\n`);
}
