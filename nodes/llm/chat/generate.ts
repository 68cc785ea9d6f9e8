import type { FinishReason, LanguageModel, ModelCall, Usage } from '../../../src/node-kit/index.js';

export interface Generated {
  text: string;
  usage: Usage;
  finishReason: FinishReason;
  /** Streaming only: milliseconds until the first text arrived. */
  firstTokenMs?: number;
}

/** One model call (no tools are offered), streamed and assembled when `stream` is set. */
export async function generate(model: LanguageModel, call: ModelCall, stream: boolean): Promise<Generated> {
  if (!stream) {
    const result = await model.doGenerate(call);
    return { text: result.text, usage: result.usage, finishReason: result.finishReason };
  }
  const started = performance.now();
  let text = '';
  let firstTokenMs: number | undefined;
  let usage: Usage = { inputTokens: 0, outputTokens: 0 };
  let finishReason: FinishReason = 'other';
  for await (const part of model.doStream(call)) {
    if (part.type === 'text-delta') {
      firstTokenMs ??= Math.round(performance.now() - started);
      text += part.text;
    } else if (part.type === 'usage') usage = part.usage;
    else if (part.type === 'end') finishReason = part.finishReason;
  }
  return { text, usage, finishReason, ...(firstTokenMs !== undefined ? { firstTokenMs } : {}) };
}
