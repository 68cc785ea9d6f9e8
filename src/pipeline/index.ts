export {
  pipelineSchema,
  pipelineNodeSchema,
  pipelineOutputSchema,
  edgeSchema,
  pipelineJsonSchema,
  type Pipeline,
  type PipelineNode,
  type PipelineEdge,
  type PipelineOutput,
} from './schema.js';
export { validatePipeline, type ValidationResult, type ValidateOptions } from './validate.js';
export { planPaths, planPipeline, rankChains, sourceFor, emittedLanes, type PlanStep, type PlanOptions } from './plan.js';
export { nodeSetup, laneSwitch, type NodeSetup } from './node-config.js';
export { loadPipelineFile, savePipelineFile } from './load.js';
export { resolvePlaceholders, placeholderNames, hasPlaceholder } from '../node-kit/env.js';
export { pointer } from './json-pointer.js';
export { createPipelineLibrary, isPipelineName, assertPipelineName, type PipelineLibrary, type SavedPipelineSummary } from './library.js';
export { PIPE_PREFIX, pipeName, bindingEntries, boundNodeIds, boundOnlyNodeIds } from './bindings.js';
