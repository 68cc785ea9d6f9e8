import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { loadPrompts, promptsDir, renderPrompt, type Prompt } from '../prompts/index.js';
import type { McpServices } from './services.js';

/**
 * Every prompts/<name>.md as an MCP prompt: its front matter gives the description and the arguments
 * (strings; `required: false` ones optional), and prompts/get renders the current file with
 * renderPrompt, so an edited body is seen at once. The list itself is read when the server starts.
 */
export function registerPrompts(server: McpServer, deps: Pick<McpServices, 'logger'>, dir = promptsDir()): void {
  let prompts: Prompt[];
  try {
    prompts = loadPrompts(dir);
  } catch (error) {
    // A broken prompt file must not take the tools down with it.
    deps.logger.warn({ err: error, dir }, 'prompts not served');
    return;
  }
  for (const prompt of prompts) {
    server.registerPrompt(
      prompt.name,
      { title: prompt.name.replace(/[_-]/g, ' '), description: prompt.description, argsSchema: argumentShape(prompt) },
      (args: Record<string, string | undefined>) => {
        const given = Object.fromEntries(Object.entries(args).filter(([, value]) => value !== undefined));
        return {
          description: prompt.description,
          messages: [{ role: 'user' as const, content: { type: 'text' as const, text: renderPrompt(prompt.name, given, dir) } }],
        };
      },
    );
  }
}

function argumentShape(prompt: Prompt): Record<string, z.ZodType<string | undefined>> {
  return Object.fromEntries(
    prompt.arguments.map((argument) => {
      const value = z.string().describe(argument.description);
      return [argument.name, argument.required ? value : value.optional()];
    }),
  );
}
