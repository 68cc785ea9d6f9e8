import { createRequire } from 'node:module';
import type * as AnthropicSdk from '@anthropic-ai/sdk';
import type * as AnthropicToolError from '@anthropic-ai/sdk/lib/tools/ToolError';
import type * as OpenAISdk from 'openai';

/**
 * The provider SDKs, loaded on first use: keeps `pipelane mcp` start-up under 1 s. They are
 * required (their CommonJS builds) because a binding is made synchronously. Every run-time use of
 * an SDK goes through here, so each is loaded once and `instanceof` checks see the same classes.
 */
const require = createRequire(import.meta.url);

let openai: typeof OpenAISdk | undefined;
let anthropic: typeof AnthropicSdk | undefined;

export function openaiSdk(): typeof OpenAISdk {
  return (openai ??= require('openai') as typeof OpenAISdk);
}

export function anthropicSdk(): typeof AnthropicSdk {
  return (anthropic ??= require('@anthropic-ai/sdk') as typeof AnthropicSdk);
}

/** The class the Anthropic tool runner recognises as a tool's error result. */
export function anthropicToolError(): typeof AnthropicToolError.ToolError {
  return (require('@anthropic-ai/sdk/lib/tools/ToolError') as typeof AnthropicToolError).ToolError;
}

/** The SDKs loaded so far: an error can only come from an SDK that was loaded. */
export function loadedSdks(): { openai: typeof OpenAISdk | undefined; anthropic: typeof AnthropicSdk | undefined } {
  return { openai, anthropic };
}
