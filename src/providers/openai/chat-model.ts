import type { OpenAI } from 'openai';
import { currentRun } from '../../engine/run-context.js';
import { badResponseError, throwIfAborted, toProviderError, type ProviderErrorContext } from '../errors.js';
import type { LanguageModel, ModelCall, ModelResult, ModelStreamPart, ProviderId } from '../spec.js';
import { OpenAIStreamAssembler, fromOpenAICompletion, toOpenAIRequest } from './wire.js';

/**
 * A Chat Completions model over the `openai` SDK, for OpenAI itself and for OpenAI-compatible
 * servers (Ollama, vLLM, llama.cpp, LM Studio, OpenRouter). Tracing happens in the client's fetch.
 */
export class OpenAIChatModel implements LanguageModel {
  constructor(
    readonly provider: ProviderId,
    readonly modelId: string,
    private readonly client: OpenAI,
    private readonly errorContext: ProviderErrorContext,
  ) {}

  async doGenerate(call: ModelCall): Promise<ModelResult> {
    let completion;
    try {
      completion = await this.client.chat.completions.create(toOpenAIRequest(this.modelId, this.provider, call), call.signal ? { signal: call.signal } : {});
    } catch (error) {
      throw this.failure(error, call);
    }
    const result = fromOpenAICompletion(completion);
    if (!result) throw badResponseError(this.modelId, this.provider, 'no choices');
    if (!result.toolCalls) throw badResponseError(this.modelId, this.provider, 'tool call arguments that are not a JSON object');
    return { text: result.text, toolCalls: result.toolCalls, usage: result.usage, finishReason: result.finishReason };
  }

  async *doStream(call: ModelCall): AsyncIterable<ModelStreamPart> {
    const assembler = new OpenAIStreamAssembler();
    try {
      const stream = await this.client.chat.completions.create(
        { ...toOpenAIRequest(this.modelId, this.provider, call), stream: true, stream_options: { include_usage: true } },
        call.signal ? { signal: call.signal } : {},
      );
      for await (const chunk of stream) yield* assembler.add(chunk);
      throwIfAborted([call.signal, currentRun()?.signal]);
    } catch (error) {
      throw this.failure(error, call);
    }
    const toolCalls = assembler.toolCalls(true);
    if (!toolCalls) throw badResponseError(this.modelId, this.provider, 'tool call arguments that are not a JSON object');
    for (const toolCall of toolCalls) yield { type: 'tool-call', toolCall };
    const result = assembler.result();
    yield { type: 'usage', usage: result.usage ?? { inputTokens: 0, outputTokens: 0 } };
    yield { type: 'end', finishReason: result.finishReason };
  }

  private failure(error: unknown, call: ModelCall): unknown {
    return toProviderError(error, this.errorContext, [call.signal, currentRun()?.signal]);
  }
}
