import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { readSavedPipeline } from '../pipeline-argument.js';
import type { McpServices } from '../services.js';
import { inBand, toolOutputSchema, toolSuccess } from '../tool-result.js';
import type { ExposedTools } from './pipeline-tools.js';

const inputSchema = z.object({
  name: z.string().min(1).describe('Name of the saved pipeline (list_pipelines)'),
});

const outputSchema = toolOutputSchema({
  name: z.string(),
  deleted: z.boolean(),
  removedTool: z.string().optional().describe('The exposed tool that went away with it'),
});

export function registerDeletePipeline(server: McpServer, deps: McpServices, exposed: ExposedTools): void {
  server.registerTool(
    'delete_pipeline',
    {
      title: 'Delete a saved pipeline',
      description:
        'Deletes the saved pipeline pipelines/<name>.pipe.json from the workspace. If it was exposed as its own tool, that tool ' +
        'goes away and the server sends notifications/tools/list_changed. Runs already made keep their traces. Returns ' +
        '{name, deleted, removedTool?}; an unknown name is isError PIPELINE_NOT_FOUND naming the saved pipelines and the nearest one.',
      inputSchema,
      outputSchema,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
    },
    inBand('delete_pipeline', deps.logger, async (args) => {
      // Reading it first checks the name, that it exists, and that the file is inside the workspace.
      await readSavedPipeline(args.name, deps);
      const tool = exposed.toolOf(args.name);
      await deps.library.delete(args.name);
      exposed.announce();
      return toolSuccess({ name: args.name, deleted: true, ...(tool ? { removedTool: tool } : {}) });
    }),
  );
}
