import type { AgentTool } from '../agent-kit/spec.js';
import { PipelaneError, bindingKindError, bindingMissingError, unknownBindingError } from '../node-kit/index.js';
import { bindingEntries, pipeName, pointer } from '../pipeline/index.js';
import { createLlmBinding } from '../providers/binding.js';
import type { LlmBinding } from '../providers/spec.js';
import { nodeAsTool } from './node-as-tool.js';
import type { InvokeEnvironment, NodeBindings, NodeInstance } from './node-instance.js';
import { pipelineAsTool, type SavedPipelineTarget } from './pipeline-as-tool.js';
import type { RunContext } from './run-context.js';
import { currentSpanScope } from './span-scope.js';
import type { RunRequest, RunResult } from './types.js';

/** Entries the pipeline gave a binding (`uses[name]`), after checking the definition declares it. */
export function boundNames(instance: NodeInstance, binding: string, kind: 'llm' | 'tools'): string[] {
  const { spec, definition } = instance;
  const path = pointer('nodes', instance.index, 'uses', binding);
  const declared = definition.uses?.[binding];
  if (!declared) throw unknownBindingError(spec.id, definition.type, binding, definition.uses, path);
  if (declared.kind !== kind) throw bindingKindError(spec.id, definition.type, binding, declared, kind, path);
  const names = bindingEntries(spec.uses?.[binding]);
  if (names.length === 0 && (kind === 'llm' || declared.min > 0)) throw bindingMissingError(spec.id, definition.type, binding, declared, path);
  return names;
}

export interface BindingServices {
  run: RunContext;
  instances: ReadonlyMap<string, NodeInstance>;
  /** The environment nodes run in (for nodes called as tools). */
  environment(): InvokeEnvironment;
  /** Saved pipelines named by `pipe:<name>` entries, loaded before the run starts. */
  savedPipelines: ReadonlyMap<string, SavedPipelineTarget>;
  workspaceRoot: string;
  env: NodeJS.ProcessEnv;
  pipeChain: readonly string[];
  startRun(request: RunRequest): Promise<RunResult>;
}

/**
 * `ctx.llm` and `ctx.tools` for one run. An llm binding is built once per target node (from its
 * definition's `languageModel(config)`); tools are built per call so that each carries the scope of
 * the node that asked for it.
 */
export function createNodeBindings(services: BindingServices): NodeBindings {
  const models = new Map<string, LlmBinding>();
  return {
    llm(instance, binding) {
      const [target] = boundNames(instance, binding, 'llm');
      const path = pointer('nodes', instance.index, 'uses', binding);
      const cached = models.get(target!);
      if (cached) return cached;
      const model = services.instances.get(target!);
      if (!model) throw unknownTarget(instance, binding, target!, path);
      if (!model.definition.languageModel) {
        throw new PipelaneError('BINDING_KIND_MISMATCH', `Node "${instance.spec.id}" binds "${target}" as its model "${binding}", but ${model.definition.type} cannot serve as a model.`, {
          hint: 'Bind a node that serves as a model (llm.chat).',
          path,
        });
      }
      const created = createLlmBinding(model.definition.languageModel(model.config), { env: services.env });
      models.set(target!, created);
      return created;
    },
    tools(instance, binding) {
      const names = boundNames(instance, binding, 'tools');
      const scope = currentSpanScope();
      return names.map((entry, index): AgentTool => {
        const path = pointer('nodes', instance.index, 'uses', binding, index);
        const saved = pipeName(entry);
        if (saved !== undefined) {
          const target = services.savedPipelines.get(saved);
          if (!target) throw unknownTarget(instance, binding, entry, path);
          return pipelineAsTool({
            target,
            run: services.run,
            scope,
            workspaceRoot: services.workspaceRoot,
            env: services.env,
            pipeChain: services.pipeChain,
            startRun: services.startRun,
          });
        }
        const node = services.instances.get(entry);
        if (!node) throw unknownTarget(instance, binding, entry, path);
        return nodeAsTool({ instance: node, environment: services.environment(), scope, workspaceRoot: services.workspaceRoot });
      });
    },
  };
}

function unknownTarget(instance: NodeInstance, binding: string, entry: string, path: string): PipelaneError {
  return new PipelaneError('BINDING_UNKNOWN_TARGET', `Node "${instance.spec.id}" binds "${entry}" as "${binding}", which this run cannot reach.`, {
    hint: 'Bind a node id of this pipeline, or pipe:<name> of a pipeline saved in the workspace.',
    path,
  });
}
