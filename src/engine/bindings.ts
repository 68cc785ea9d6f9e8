import { bindingKindError, bindingMissingError, unknownBindingError, PipelaneError } from '../node-kit/index.js';
import { pointer } from '../pipeline/index.js';
import type { NodeBindings, NodeInstance } from './node-instance.js';

/** Names the pipeline gave a binding (`uses[name]`), after checking the definition declares it. */
export function boundNames(instance: NodeInstance, binding: string, kind: 'llm' | 'tools'): string[] {
  const { spec, definition } = instance;
  const path = pointer('nodes', instance.index, 'uses', binding);
  const declared = definition.uses?.[binding];
  if (!declared) throw unknownBindingError(spec.id, definition.type, binding, definition.uses, path);
  if (declared.kind !== kind) throw bindingKindError(spec.id, definition.type, binding, declared, kind, path);
  const given = spec.uses?.[binding];
  const names = given === undefined ? [] : Array.isArray(given) ? given : [given];
  if (names.length === 0 && (kind === 'llm' || declared.min > 0)) throw bindingMissingError(spec.id, definition.type, binding, declared, path);
  return names;
}

export function createNodeBindings(): NodeBindings {
  return {
    llm(instance, binding) {
      boundNames(instance, binding, 'llm');
      throw new PipelaneError('BINDING_MISSING', 'LLM bindings are not wired yet.', { hint: 'Wait for the engine bindings.' });
    },
    tools(instance, binding) {
      const names = boundNames(instance, binding, 'tools');
      if (names.length === 0) return [];
      throw new PipelaneError('BINDING_MISSING', 'Tool bindings are not wired yet.', { hint: 'Wait for the engine bindings.' });
    },
  };
}
