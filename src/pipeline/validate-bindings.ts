import { nearestNames, type AnyNodeDefinition, type BindingSpec, type JsonPatchOperation, type Problem } from '../node-kit/index.js';
import { bindingEntries, pipeName } from './bindings.js';
import { pointer } from './json-pointer.js';
import type { PipelineLibrary } from './library.js';
import { viewsById, type NodeView } from './node-views.js';

type Library = Pick<PipelineLibrary, 'has' | 'names'>;

/**
 * Control bindings (`"uses"`): every key declared by the node type, every required binding given,
 * no more entries than allowed, every entry naming a node of the pipeline (or, for tools, a saved
 * pipeline `pipe:<name>`), and every `llm` entry a node that can serve as a model.
 */
export function bindingProblems(views: NodeView[], rawNodes: readonly unknown[], pipelines: Library | undefined): Problem[] {
  const problems: Problem[] = [];
  const byId = viewsById(views);
  const models = views.filter((view) => view.definition?.languageModel).map((view) => view.id);
  for (const view of views) {
    const definition = view.definition;
    if (!definition) continue;
    const rawUses = (rawNodes[view.index] as { uses?: unknown }).uses;
    const uses = rawUses && typeof rawUses === 'object' && !Array.isArray(rawUses) ? (rawUses as Record<string, unknown>) : {};
    const declared = definition.uses ?? {};
    for (const key of Object.keys(uses)) {
      if (!Object.hasOwn(declared, key)) problems.push(unknownBinding(view, key, uses));
    }
    for (const [name, spec] of Object.entries(declared)) {
      const context: BindingContext = { view, name, spec, value: uses[name], hasUses: rawUses !== undefined, byId, models, pipelines };
      problems.push(...checkBinding(context));
    }
  }
  return problems;
}

interface BindingContext {
  view: NodeView;
  name: string;
  spec: BindingSpec;
  value: unknown;
  hasUses: boolean;
  byId: Map<string, NodeView>;
  models: string[];
  pipelines: Library | undefined;
}

function checkBinding(context: BindingContext): Problem[] {
  const { view, name, spec, value } = context;
  const entries = bindingEntries(value);
  const bindingPath = pointer('nodes', view.index, 'uses', name);
  const entryPath = (index: number) => (Array.isArray(value) ? `${bindingPath}/${index}` : bindingPath);
  const problems: Problem[] = [];
  if (entries.length < spec.min) problems.push(missing(context, bindingPath));
  const max = spec.kind === 'llm' ? Math.min(spec.max ?? 1, 1) : spec.max;
  if (max !== undefined && entries.length > max) {
    const extra = entries.slice(max);
    // Removing from the end keeps the indexes of the earlier operations valid.
    const patch: JsonPatchOperation[] = Array.isArray(value)
      ? entries.map((_, index) => index).filter((index) => index >= max).reverse().map((index) => ({ op: 'remove' as const, path: entryPath(index) }))
      : [];
    problems.push({
      code: 'BINDING_TOO_MANY',
      severity: 'error',
      path: Array.isArray(value) ? entryPath(max) : bindingPath,
      message: `Node "${view.id}" (${view.type}) binds ${entries.length} entries to "${name}", at most ${max} allowed (${extra.map((entry) => `"${entry}"`).join(', ')} too many).`,
      hint: `Keep ${max === 1 ? 'one entry' : `at most ${max} entries`} in "uses"."${name}".`,
      ...(patch.length ? { fix: { summary: `remove ${extra.join(', ')}`, patch } } : {}),
    });
  }
  entries.forEach((entry, index) => {
    const problem = entryProblem(context, entry, entryPath(index));
    if (problem) problems.push(problem);
  });
  return problems;
}

function entryProblem(context: BindingContext, entry: string, path: string): Problem | undefined {
  const { view, name, spec, byId, models, pipelines } = context;
  const saved = pipeName(entry);
  if (saved !== undefined) {
    if (spec.kind === 'llm') {
      return kindMismatch(context, entry, path, `"${entry}" is a saved pipeline, which cannot serve as a model`);
    }
    if (!pipelines || pipelines.has(saved)) return undefined;
    const nearest = nearestNames(saved, pipelines.names());
    return {
      code: 'BINDING_UNKNOWN_TARGET',
      severity: 'error',
      path,
      message: `Node "${view.id}" binds saved pipeline "${saved}" as a tool, but there is no pipelines/${saved}.pipe.json${nearest.length ? ` (nearest: ${nearest.join(', ')})` : ''}.`,
      hint: nearest[0] ? `Did you mean "pipe:${nearest[0]}"?` : 'Save that pipeline first, or remove the entry.',
      ...(nearest[0] ? { fix: { summary: `use pipe:${nearest[0]}`, patch: [{ op: 'replace' as const, path, value: `pipe:${nearest[0]}` }] } } : {}),
    };
  }
  const target = byId.get(entry);
  if (!target) {
    const candidates = spec.kind === 'llm' ? models : [...byId.keys()].filter((id) => id !== view.id);
    const nearest = nearestNames(entry, candidates);
    return {
      code: 'BINDING_UNKNOWN_TARGET',
      severity: 'error',
      path,
      message: `Node "${view.id}" binds "${entry}" as "${name}", but no node has that id${nearest.length ? ` (nearest: ${nearest.join(', ')})` : ''}.`,
      hint: nearest[0] ? `Did you mean "${nearest[0]}"?` : `Use the id of a node of this pipeline${spec.kind === 'tools' ? ', or pipe:<saved pipeline>' : ''}.`,
      ...(nearest[0] ? { fix: { summary: `bind ${nearest[0]}`, patch: [{ op: 'replace' as const, path, value: nearest[0] }] } } : {}),
    };
  }
  if (target.id === view.id) return kindMismatch(context, entry, path, `a node cannot bind itself`);
  if (spec.kind === 'llm' && target.definition && !target.definition.languageModel) {
    return kindMismatch(context, entry, path, `${target.type} cannot serve as a model`);
  }
  return undefined;
}

function kindMismatch(context: BindingContext, entry: string, path: string, reason: string): Problem {
  const { view, name, spec, models } = context;
  const candidates = spec.kind === 'llm' ? models.filter((id) => id !== view.id) : [];
  return {
    code: 'BINDING_KIND_MISMATCH',
    severity: 'error',
    path,
    message: `Node "${view.id}" binds "${entry}" as its ${spec.kind} binding "${name}", but ${reason}${spec.kind === 'llm' ? ` (nodes that can: ${candidates.join(', ') || 'none'})` : ''}.`,
    hint: spec.kind === 'llm' ? (candidates.length ? `Bind one of ${candidates.join(', ')}.` : 'Add an llm.chat node and bind its id.') : 'Bind another node.',
    ...(candidates.length === 1 ? { fix: { summary: `bind ${candidates[0]}`, patch: [{ op: 'replace' as const, path, value: candidates[0] }] } } : {}),
  };
}

function missing(context: BindingContext, path: string): Problem {
  const { view, name, spec, value, hasUses, models } = context;
  const candidates = spec.kind === 'llm' ? models.filter((id) => id !== view.id) : [];
  const example = spec.kind === 'llm' ? `"${candidates[0] ?? '<llm.chat node id>'}"` : '["<node id>", "pipe:<saved pipeline>"]';
  const fixValue = spec.kind === 'llm' ? candidates[0] : [candidates[0]];
  const patch: JsonPatchOperation[] =
    candidates.length !== 1
      ? []
      : !hasUses
        ? [{ op: 'add', path: pointer('nodes', view.index, 'uses'), value: { [name]: fixValue } }]
        : [{ op: value === undefined ? 'add' : 'replace', path, value: fixValue }];
  return {
    code: 'BINDING_MISSING',
    severity: 'error',
    path,
    message: `Node "${view.id}" (${view.type}) needs ${spec.min === 1 ? 'a' : `at least ${spec.min}`} "${name}" binding (${spec.description})${spec.kind === 'llm' ? `; nodes that can serve as a model: ${candidates.join(', ') || 'none'}` : ''}.`,
    hint: spec.kind === 'llm' && candidates.length === 0 ? `Add an llm.chat node and bind it: "uses": {"${name}": "<its id>"}.` : `Add "uses": {"${name}": ${example}} to node "${view.id}".`,
    ...(patch.length ? { fix: { summary: `bind ${candidates[0]} as ${name}`, patch } } : {}),
  };
}

function unknownBinding(view: NodeView, key: string, uses: Record<string, unknown>): Problem {
  const definition = view.definition as AnyNodeDefinition;
  const declaredNames = Object.keys(definition.uses ?? {});
  const path = pointer('nodes', view.index, 'uses', key);
  const [nearest] = nearestNames(key, declaredNames.filter((name) => !Object.hasOwn(uses, name)), 1);
  return {
    code: 'UNKNOWN_BINDING',
    severity: 'error',
    path,
    message: `${view.type} has no binding "${key}" (node "${view.id}"; declared: ${declaredNames.join(', ') || 'none'}).`,
    hint: nearest ? `Did you mean "${nearest}"?` : declaredNames.length ? `Use one of: ${declaredNames.join(', ')}.` : `Remove "uses"."${key}": ${view.type} binds nothing.`,
    fix: nearest
      ? { summary: `rename ${key} to ${nearest}`, patch: [{ op: 'remove', path }, { op: 'add', path: pointer('nodes', view.index, 'uses', nearest), value: uses[key] }] }
      : { summary: `remove ${key}`, patch: [{ op: 'remove', path }] },
  };
}
