export {
  loadPrompts,
  getPrompt,
  listPromptNames,
  renderPrompt,
  resolveSystemPrompt,
  promptTextSchema,
  promptsDir,
  PROMPT_REFERENCE_PREFIX,
  type Prompt,
  type PromptArgument,
} from './library.js';
export { renderTemplate, templateSyntaxError, templateVariables, type RenderedTemplate } from './render.js';
export { splitFrontMatter, FrontMatterError } from './front-matter.js';
