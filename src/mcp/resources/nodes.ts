import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { AnyNodeDefinition } from '../../node-kit/index.js';
import { packageRoot } from '../../package-info.js';
import type { McpServices } from '../services.js';
import { reading, resourceNotFound } from './errors.js';

/** pipelane://nodes/{type}: a node's reference page, the generated docs/nodes/<type>.md. */
export function registerNodeResources(server: McpServer, deps: McpServices): void {
  server.registerResource(
    'node',
    new ResourceTemplate('pipelane://nodes/{type}', {
      list: () => ({
        resources: deps.registry.list().map((definition) => ({
          uri: `pipelane://nodes/${definition.type}`,
          name: definition.type,
          title: definition.title,
          description: `Reference page of ${definition.type}: lanes, config fields with defaults, examples.`,
          mimeType: 'text/markdown',
        })),
      }),
      complete: { type: (value) => deps.registry.types.filter((type) => type.startsWith(value)) },
    }),
    {
      title: 'Node reference page',
      description: 'The reference page of one node type (docs/nodes/<type>.md): what it reads and emits, its config fields with defaults and meaning, an example. describe_node gives the same as JSON Schema.',
      mimeType: 'text/markdown',
    },
    (uri, variables) =>
      reading(async () => {
        const type = decodeURIComponent(String(variables.type));
        const definition = deps.registry.find(type);
        if (!definition) {
          const nearest = deps.registry.nearest(type);
          throw resourceNotFound(`No node type "${type}".`, nearest.length ? `Nearest: ${nearest.join(', ')}.` : 'list_nodes lists the types.');
        }
        return { contents: [{ uri: uri.href, mimeType: 'text/markdown', text: await nodePage(definition) }] };
      }),
  );
}

/** The generated page when the package has it (its name is a registered type, so it stays in docs/nodes/), else one made from the definition. */
async function nodePage(definition: AnyNodeDefinition): Promise<string> {
  const file = join(packageRoot, 'docs', 'nodes', `${definition.type}.md`);
  if (existsSync(file)) return readFile(file, 'utf8');
  const config = z.toJSONSchema(definition.config, { io: 'input', unrepresentable: 'any' });
  return [
    `# \`${definition.type}\` — ${definition.title}`,
    '',
    definition.description,
    '',
    `- reads: ${definition.inputs.length ? definition.inputs.map((lane) => `\`${lane}\``).join(', ') : 'the run input (a file path, bytes or text)'}`,
    `- emits: ${definition.outputs.map((lane) => `\`${lane}\``).join(', ')}`,
    '',
    '## Config (JSON Schema)',
    '',
    '```json',
    JSON.stringify(config, null, 2),
    '```',
    '',
  ].join('\n');
}
