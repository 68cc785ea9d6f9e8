import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { laneNames, lanePayloadJsonSchema, lanes } from '../../lanes/index.js';
import { inBand, toolOutputSchema, toolSuccess } from '../tool-result.js';
import type { McpDeps } from '../types.js';

const outputSchema = toolOutputSchema({
  lanes: z.array(
    z.object({
      name: z.string().describe('Lane name, used in pipeline edges: {"lane": name, "from": nodeId}'),
      description: z.string(),
      payloadSchema: z.record(z.string(), z.unknown()).describe('JSON Schema of one item on this lane'),
    }),
  ),
});

export function registerListLanes(server: McpServer, deps: McpDeps): void {
  server.registerTool(
    'list_lanes',
    {
      title: 'List lanes',
      description:
        'Lists every lane (the typed streams between pipeline nodes: file, text, documents, image, entities, ...) with a ' +
        'description and the JSON Schema of one item. Use it to learn what flows along an edge before composing a pipeline ' +
        'or choosing `from`/`to` for plan_path. Returns {lanes: [{name, description, payloadSchema}]}.',
      inputSchema: z.object({}),
      outputSchema,
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    },
    inBand('list_lanes', deps.logger, () =>
      toolSuccess({
        lanes: laneNames.map((name) => ({ name, description: lanes[name].description, payloadSchema: lanePayloadJsonSchema(name) })),
      }),
    ),
  );
}
