import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import type { BaseLanguageModelInput } from '@langchain/core/language_models/base';
import { BaseChatModel, type BaseChatModelCallOptions, type BindToolsInput } from '@langchain/core/language_models/chat_models';
import type { AIMessageChunk, BaseMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';
import type { Runnable } from '@langchain/core/runnables';
import { convertToOpenAITool } from '@langchain/core/utils/function_calling';
import type { LanguageModel, ToolSpec } from '../../src/providers/spec.js';
import { toAiMessage, toChatMessages } from './message-conversion.js';

export interface ShimCallOptions extends BaseChatModelCallOptions {
  tools?: ToolSpec[];
}

export interface ShimSettings {
  temperature?: number;
  maxTokens?: number;
  /** The run's signal: every model call stops with it, whatever LangGraph passes down. */
  signal: AbortSignal;
}

/**
 * Our traced LanguageModel behind LangChain's chat-model interface, so LangGraph drives the same
 * model (and the same llm spans, tokens and cost) as every other framework. One instance per run.
 */
export class PipelaneChatModel extends BaseChatModel<ShimCallOptions> {
  private readonly languageModel: LanguageModel;
  private readonly shimSettings: ShimSettings;

  constructor(languageModel: LanguageModel, settings: ShimSettings) {
    super({});
    this.languageModel = languageModel;
    this.shimSettings = settings;
  }

  // Called by the base constructor, before this class's fields exist.
  _llmType(): string {
    return 'pipelane';
  }

  override bindTools(tools: BindToolsInput[], kwargs?: Partial<ShimCallOptions>): Runnable<BaseLanguageModelInput, AIMessageChunk, ShimCallOptions> {
    return this.withConfig({ ...kwargs, tools: tools.map(toToolSpec) });
  }

  async _generate(messages: BaseMessage[], options: this['ParsedCallOptions'], _runManager?: CallbackManagerForLLMRun): Promise<ChatResult> {
    const { temperature, maxTokens, signal: runSignal } = this.shimSettings;
    const signal = options.signal && options.signal !== runSignal ? AbortSignal.any([options.signal, runSignal]) : runSignal;
    signal.throwIfAborted();
    const tools = options.tools ?? [];
    const result = await this.languageModel.doGenerate({
      messages: toChatMessages(messages),
      ...(tools.length > 0 ? { tools } : {}),
      ...(temperature !== undefined ? { temperature } : {}),
      ...(maxTokens !== undefined ? { maxTokens } : {}),
      signal,
    });
    const message = toAiMessage(result);
    return {
      generations: [{ text: result.text, message }],
      llmOutput: { tokenUsage: { promptTokens: result.usage.inputTokens, completionTokens: result.usage.outputTokens } },
    };
  }
}

function toToolSpec(tool: BindToolsInput): ToolSpec {
  const { function: definition } = convertToOpenAITool(tool);
  return {
    name: definition.name,
    description: definition.description ?? '',
    inputSchema: definition.parameters as Record<string, unknown>,
  };
}
