import type { BindingSpec } from './define-node.js';
import { PipelaneError } from './errors.js';

/** `ctx.llm(name)` / `ctx.tools(name)` for a binding the pipeline did not fill. */
export function bindingMissingError(nodeId: string, nodeType: string, binding: string, spec: BindingSpec | undefined, path = ''): PipelaneError {
  const example = spec?.kind === 'tools' ? `["<node id>", "pipe:<saved pipeline>"]` : `"<node id>"`;
  return new PipelaneError('BINDING_MISSING', `Node "${nodeId}" (${nodeType}) needs its "${binding}" binding, but the pipeline gives none.`, {
    hint: `Add "uses": {"${binding}": ${example}} to node "${nodeId}".`,
    path,
  });
}

/** `ctx.llm(name)` / `ctx.tools(name)` for a name the definition never declared: a bug in the node. */
export function unknownBindingError(nodeId: string, nodeType: string, binding: string, declared: Record<string, BindingSpec> | undefined, path = ''): PipelaneError {
  const names = Object.keys(declared ?? {});
  return new PipelaneError('UNKNOWN_BINDING', `Node "${nodeId}" (${nodeType}) asked for binding "${binding}", which ${nodeType} does not declare (declared: ${names.join(', ') || 'none'}).`, {
    hint: `Use one of the bindings ${nodeType} declares in "uses", or declare "${binding}" there.`,
    path,
  });
}

/** A binding of the wrong kind asked for (`ctx.tools` on an llm binding): a bug in the node. */
export function bindingKindError(nodeId: string, nodeType: string, binding: string, declared: BindingSpec, asked: BindingSpec['kind'], path = ''): PipelaneError {
  return new PipelaneError('BINDING_KIND_MISMATCH', `Node "${nodeId}" (${nodeType}) asked for "${binding}" as ${asked}, but it is declared as ${declared.kind}.`, {
    hint: `Call ctx.${declared.kind}("${binding}") instead.`,
    path,
  });
}
