import type { Command } from 'commander';
import { validatePipeline } from '../../pipeline/index.js';
import { loadRegistry } from '../app.js';
import { EXIT_OK, EXIT_USAGE, formatProblems, printJson, reportError } from '../output.js';
import { loadPipelineArgument } from '../pipeline-arg.js';

export function registerValidateCommand(program: Command): void {
  program
    .command('validate')
    .description('Check a pipeline and print every problem at once, each with a hint and, where possible, a fix')
    .argument('<pipe>', 'a *.pipe.json file, or the name of one in pipelines/')
    .option('--json', 'print {valid, problems} as JSON')
    .action(async (pipe: string, options: { json?: boolean }) => {
      try {
        const pipeline = await loadPipelineArgument(pipe);
        const result = validatePipeline(pipeline, await loadRegistry(), { env: process.env });
        if (options.json) printJson(result);
        else if (result.problems.length === 0) process.stdout.write(`✓ ${pipe} is valid\n`);
        else process.stdout.write(`${result.valid ? '✓ valid with warnings' : '✗ invalid'}: ${pipe}\n${formatProblems(result.problems)}\n`);
        process.exitCode = result.valid ? EXIT_OK : EXIT_USAGE;
      } catch (error) {
        process.exitCode = reportError(error, options.json);
      }
    });
}
