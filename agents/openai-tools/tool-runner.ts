import type { ChatCompletionRunner } from 'openai/lib/ChatCompletionRunner';
import type { ChatCompletionStreamingRunner } from 'openai/lib/ChatCompletionStreamingRunner';
import type { RunnableToolFunctionWithParse } from 'openai/lib/RunnableFunction';
import type { ChatCompletion, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { assertWithinSteps, toolResultText, type AgentContext, type AgentTask, type AgentTool } from '../../src/agent-kit/index.js';
import { fromSdkError } from './sdk-errors.js';
import { ToolCallIds } from './tool-call-ids.js';

type ToolArguments = Record<string, unknown>;

/**
 * One agent run through `chat.completions.runTools`: the SDK loops (request, run the tools the
 * model asked for, send their results) and we only supply the tool functions. Everything it needs
 * lives in this call, so concurrent runs share nothing.
 */
export async function runOpenAiToolRunner(task: AgentTask, ctx: AgentContext): Promise<{ answer: string }> {
  ctx.signal.throwIfAborted();
  const client = task.llm.openaiClient();
  const ids = new ToolCallIds();
  const runner = client.chat.completions.runTools(
    {
      model: task.llm.settings.model,
      messages: initialMessages(task),
      tools: task.tools.map((tool) => runnableTool(tool, task, ctx, ids)),
      ...(task.temperature !== undefined ? { temperature: task.temperature } : {}),
      ...maxTokensParam(task),
    },
    { signal: ctx.signal, maxChatCompletions: task.maxSteps },
  );
  let finalContent: string | null;
  try {
    finalContent = await runner.finalContent();
  } catch (error) {
    throw fromSdkError(error, task.llm, client, ctx.signal);
  }
  ctx.signal.throwIfAborted();
  // The SDK ends quietly after maxChatCompletions even when the last reply still asked for tools.
  const completions = runner.allChatCompletions();
  if (lastAskedForTools(completions)) assertWithinSteps(completions.length + 1, task.maxSteps);
  return { answer: finalContent ?? '' };
}

function initialMessages(task: AgentTask): ChatCompletionMessageParam[] {
  return [
    ...(task.system ? [{ role: 'system' as const, content: task.system }] : []),
    { role: 'user' as const, content: task.question },
  ];
}

function maxTokensParam(task: AgentTask): { max_tokens?: number; max_completion_tokens?: number } {
  if (task.maxTokens === undefined) return {};
  // OpenAI deprecated max_tokens; OpenAI-compatible servers (Ollama, llama.cpp…) mostly know only it.
  return task.llm.settings.provider === 'openai' ? { max_completion_tokens: task.maxTokens } : { max_tokens: task.maxTokens };
}

function runnableTool(tool: AgentTool, task: AgentTask, ctx: AgentContext, ids: ToolCallIds): RunnableToolFunctionWithParse<ToolArguments> {
  return {
    type: 'function',
    function: {
      name: tool.name,
      description: tool.description,
      parameters: tool.inputSchema,
      parse: parseArguments,
      function: async (args: ToolArguments, runner: ChatCompletionRunner<unknown> | ChatCompletionStreamingRunner<unknown>) => {
        const completions = runner.allChatCompletions();
        // The results of a call made after the last allowed model call would never be read.
        assertWithinSteps(completions.length + 1, task.maxSteps);
        ctx.signal.throwIfAborted();
        const toolCallId = ids.claim(completions.at(-1), tool.name, args);
        const output = await tool.invoke(args, { signal: ctx.signal, ...(toolCallId ? { toolCallId } : {}) });
        return toolResultText(output);
      },
    },
  };
}

/** Thrown errors become the tool message (in-band), so the model can fix malformed arguments. */
function parseArguments(input: string): ToolArguments {
  if (input.trim() === '') return {};
  const value: unknown = JSON.parse(input);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`Tool arguments must be a JSON object, got ${input.slice(0, 200)}`);
  }
  return value as ToolArguments;
}

function lastAskedForTools(completions: ChatCompletion[]): boolean {
  return (completions.at(-1)?.choices[0]?.message.tool_calls?.length ?? 0) > 0;
}
