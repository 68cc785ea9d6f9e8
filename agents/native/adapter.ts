import type { ChatMessage } from '../../src/providers/spec.js';
import { assertWithinSteps, callTool, defineAgent, frameworkToolSpecs } from '../../src/agent-kit/index.js';

/**
 * The framework-free loop: ask the model, run the tools it asks for in order, give it their
 * results, repeat until it answers with text. Everything goes through our traced LanguageModel,
 * so it is the baseline the other frameworks are compared with.
 */
export default defineAgent({
  id: 'native',
  title: 'Native tool loop',
  description:
    'A framework-free loop over Pipelane\'s own providers: the model is called with the tools, each tool call it returns is run in order, ' +
    'and the loop ends when the model answers with text (or after maxSteps model calls). Works with every provider.',
  async run(task, ctx) {
    const messages: ChatMessage[] = [
      ...(task.system ? [{ role: 'system' as const, content: task.system }] : []),
      { role: 'user', content: task.question },
    ];
    const tools = frameworkToolSpecs(task.tools);
    for (let step = 1; ; step++) {
      assertWithinSteps(step, task.maxSteps);
      ctx.signal.throwIfAborted();
      const result = await task.llm.model.doGenerate({
        messages,
        ...(tools.length > 0 ? { tools } : {}),
        ...(task.temperature !== undefined ? { temperature: task.temperature } : {}),
        ...(task.maxTokens !== undefined ? { maxTokens: task.maxTokens } : {}),
        signal: ctx.signal,
      });
      if (result.toolCalls.length === 0) return { answer: result.text };
      // Checked before the tools run: results nobody may read would only cost time and side effects.
      assertWithinSteps(step + 1, task.maxSteps);
      messages.push({ role: 'assistant', content: result.text, toolCalls: result.toolCalls });
      for (const call of result.toolCalls) {
        const output = await callTool(task.tools, call, ctx.signal);
        messages.push({ role: 'tool', toolCallId: call.id, toolName: call.name, content: output.content, ...(output.isError ? { isError: true } : {}) });
      }
    }
  },
});
