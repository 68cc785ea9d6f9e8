import type { Anthropic } from '@anthropic-ai/sdk';
import { currentRun } from '../../engine/run-context.js';
import { badResponseError, throwIfAborted, toProviderError, type ProviderErrorContext } from '../errors.js';
import type { LanguageModel, ModelCall, ModelResult, ModelStreamPart } from '../spec.js';
import { AnthropicStreamAssembler, fromAnthropicMessage, toAnthropicRequest } from './wire.js';

/** A Messages API model over `@anthropic-ai/sdk`. Tracing happens in the client's fetch. */
export class AnthropicMessagesModel implements LanguageModel {
  readonly provider = 'anthropic' as const;

  constructor(
    readonly modelId: string,
    private readonly client: Anthropic,
    private readonly errorContext: ProviderErrorContext,
  ) {}

  async doGenerate(call: ModelCall): Promise<ModelResult> {
    try {
      const message = await this.client.messages.create(toAnthropicRequest(this.modelId, call), call.signal ? { signal: call.signal } : {});
      return fromAnthropicMessage(message);
    } catch (error) {
      throw this.failure(error, call);
    }
  }

  async *doStream(call: ModelCall): AsyncIterable<ModelStreamPart> {
    const assembler = new AnthropicStreamAssembler();
    try {
      const stream = await this.client.messages.create({ ...toAnthropicRequest(this.modelId, call), stream: true }, call.signal ? { signal: call.signal } : {});
      for await (const event of stream) {
        const parts = assembler.add(event);
        if (assembler.unreadable) throw badResponseError(this.modelId, this.provider, assembler.unreadable);
        yield* parts;
      }
      throwIfAborted([call.signal, currentRun()?.signal]);
    } catch (error) {
      throw this.failure(error, call);
    }
    const result = assembler.result();
    yield { type: 'usage', usage: result.usage ?? { inputTokens: 0, outputTokens: 0 } };
    yield { type: 'end', finishReason: result.finishReason };
  }

  private failure(error: unknown, call: ModelCall): unknown {
    return toProviderError(error, this.errorContext, [call.signal, currentRun()?.signal]);
  }
}
