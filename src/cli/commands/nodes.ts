import type { Command } from 'commander';
import { isLaneName, laneNames } from '../../lanes/index.js';
import { PipelaneError, categoryOf } from '../../node-kit/index.js';
import { loadRegistry } from '../app.js';
import { printJson, reportError } from '../output.js';

export function registerNodesCommand(program: Command): void {
  program
    .command('nodes')
    .description('List node types with the lanes they read and emit')
    .option('--lane <lane>', `only nodes that read or emit this lane (${laneNames.join(', ')})`)
    .option('--category <category>', 'only nodes of this category (ocr, pii, chunk, ...)')
    .option('--json', 'print JSON')
    .action(async (options: { lane?: string; category?: string; json?: boolean }) => {
      try {
        if (options.lane !== undefined && !isLaneName(options.lane)) {
          throw new PipelaneError('UNKNOWN_LANE', `Unknown lane "${options.lane}".`, { hint: `Use one of: ${laneNames.join(', ')}.` });
        }
        const registry = await loadRegistry();
        const categories = [...new Set(registry.types.map(categoryOf))].sort();
        if (options.category !== undefined && !categories.includes(options.category)) {
          throw new PipelaneError('USAGE', `Unknown node category "${options.category}".`, { hint: `Use one of: ${categories.join(', ')}.` });
        }
        const nodes = registry.list({ ...(options.lane ? { lane: options.lane } : {}), ...(options.category ? { category: options.category } : {}) });
        if (nodes.length === 0 && !options.json) process.stderr.write(`No node ${options.category ? `of category ${options.category} ` : ''}reads or emits ${options.lane}.\n`);
        if (options.json) {
          printJson({ nodes: nodes.map((node) => ({ type: node.type, title: node.title, category: categoryOf(node.type), inputs: node.inputs, outputs: node.outputs, description: node.description })) });
          return;
        }
        const width = Math.max(...nodes.map((node) => node.type.length), 4);
        for (const node of nodes) {
          const signature = `${node.inputs.join('|') || '(run input)'} → ${node.outputs.join('|')}`;
          process.stdout.write(`${node.type.padEnd(width)}  ${signature.padEnd(36)}  ${node.title}\n`);
        }
      } catch (error) {
        process.exitCode = reportError(error, options.json);
      }
    });
}
