import type { Command } from 'commander';
import { z } from 'zod';
import { categoryOf } from '../../node-kit/index.js';
import { loadRegistry } from '../app.js';
import { printJson, reportError } from '../output.js';

export function registerDescribeCommand(program: Command): void {
  program
    .command('describe')
    .description('Show a node type: lanes, config schema with defaults, examples')
    .argument('<type>', 'node type, e.g. ocr.tesseract')
    .option('--json', 'print JSON')
    .action(async (type: string, options: { json?: boolean }) => {
      try {
        const definition = (await loadRegistry()).get(type);
        const configSchema = z.toJSONSchema(definition.config, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, { type?: unknown; default?: unknown; description?: string }> };
        const described = { type: definition.type, title: definition.title, category: categoryOf(definition.type), description: definition.description, inputs: definition.inputs, outputs: definition.outputs, configSchema, examples: definition.examples ?? [] };
        if (options.json) {
          printJson(described);
          return;
        }
        const lines = [`${definition.type} — ${definition.title}`, definition.description, '', `reads:  ${definition.inputs.join(', ') || '(the run input)'}`, `emits:  ${definition.outputs.join(', ')}`, '', 'config:'];
        for (const [name, property] of Object.entries(configSchema.properties ?? {})) {
          const defaultText = property.default === undefined ? '' : ` (default ${JSON.stringify(property.default)})`;
          lines.push(`  ${name}${defaultText}: ${property.description ?? ''}`);
        }
        if (described.examples.length > 0) lines.push('', 'examples:', ...described.examples.map((example) => `  ${example.title}: ${JSON.stringify(example.config)}`));
        process.stdout.write(lines.join('\n') + '\n');
      } catch (error) {
        process.exitCode = reportError(error, options.json);
      }
    });
}
