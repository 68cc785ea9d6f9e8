import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { readSavedPipeline } from '../pipeline-argument.js';
import type { McpServices } from '../services.js';
import { reading } from './errors.js';

/** pipelane://pipelines/{name}: a saved pipeline's document as JSON. */
export function registerPipelineResources(server: McpServer, deps: McpServices): void {
  server.registerResource(
    'pipeline',
    new ResourceTemplate('pipelane://pipelines/{name}', {
      list: async () => ({
        resources: (await deps.library.list()).map((entry) => ({
          uri: `pipelane://pipelines/${entry.name}`,
          name: entry.name,
          ...(entry.description ? { description: entry.description } : {}),
          mimeType: 'application/json',
        })),
      }),
      complete: { name: (value) => deps.library.names().filter((name) => name.startsWith(value)) },
    }),
    {
      title: 'Saved pipeline',
      description: 'A saved pipeline of the workspace (pipelines/<name>.pipe.json) as JSON. get_pipeline adds a Mermaid diagram; save_pipeline writes one.',
      mimeType: 'application/json',
    },
    (uri, variables) =>
      reading(async () => {
        const document = await readSavedPipeline(decodeURIComponent(String(variables.name)), deps);
        return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(document, null, 2) }] };
      }),
  );
}
