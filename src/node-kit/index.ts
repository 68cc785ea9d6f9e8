export {
  defineNode,
  categoryOf,
  isSourceNode,
  type NodeDefinition,
  type AnyNodeDefinition,
  type NodeContext,
  type NodeLifecycleContext,
  type NodeInputItem,
  type NodeExample,
  type RunInput,
  type LaneAttributeMap,
  type BindingSpec,
} from './define-node.js';
export {
  PipelaneError,
  isPipelaneError,
  isAbortError,
  toPipelaneError,
  problemSchema,
  fixSchema,
  type Problem,
  type Fix,
  type JsonPatchOperation,
  type Severity,
} from './errors.js';
export { createRegistry, type Registry } from './registry.js';
export { nearestNames } from './nearest.js';
export {
  lanes,
  type LaneName,
  type LanePayload,
  type FileItem,
  type TextItem,
  type DocumentsItem,
  type Document,
  type ImageItem,
  type TableItem,
  type QuestionItem,
  type AnswerItem,
  type AudioItem,
  type VideoItem,
  type EntitiesItem,
  type Entity,
} from '../lanes/index.js';
export { runNode, fakeNode, type RunNodeResult, type RunNodeOptions, type EmittedItem } from './testing.js';
export { bindingMissingError, unknownBindingError, bindingKindError } from './bindings.js';
export { untilAborted, abortableDelay, WorkAbort } from './abort.js';
export { carriedMeta } from './meta.js';
export { resolvePlaceholders, placeholderNames, hasPlaceholder } from './env.js';
export {
  getPrompt,
  renderPrompt,
  resolveSystemPrompt,
  promptTextSchema,
  renderTemplate,
  templateSyntaxError,
  templateVariables,
  PROMPT_REFERENCE_PREFIX,
  type Prompt,
  type RenderedTemplate,
} from '../prompts/index.js';
export {
  modelSettingsSchema,
  type ModelSettings,
  type ChatMessage,
  type ModelCall,
  type ModelResult,
  type LanguageModel,
  type LlmBinding,
  type Usage,
  type FinishReason,
} from '../providers/spec.js';
export { createLlmBinding } from '../providers/binding.js';
export { costOf, priceFor } from '../providers/prices.js';
