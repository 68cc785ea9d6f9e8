import { isLaneName } from '../lanes/index.js';
import type { LaneName } from '../lanes/index.js';
import { categoryOf, isSourceNode, type AnyNodeDefinition } from './define-node.js';
import { PipelaneError } from './errors.js';
import { nearestNames } from './nearest.js';

export interface Registry {
  readonly types: readonly string[];
  has(type: string): boolean;
  /** Throws UNKNOWN_NODE_TYPE naming the nearest types. */
  get(type: string): AnyNodeDefinition;
  find(type: string): AnyNodeDefinition | undefined;
  list(filter?: { lane?: LaneName; category?: string; query?: string }): AnyNodeDefinition[];
  nearest(type: string): string[];
}

const typePattern = /^[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*$/;

/**
 * Checks every definition once, at load: a bad node fails start-up with its type named,
 * not a run later on. `origin` (folder of each definition) lets the check name both duplicates.
 */
export function createRegistry(definitions: readonly AnyNodeDefinition[], origins?: readonly string[]): Registry {
  const byType = new Map<string, AnyNodeDefinition>();
  const originOf = new Map<string, string>();
  definitions.forEach((definition, index) => {
    const where = origins?.[index] ?? `definition #${index}`;
    const type = definition?.type;
    if (typeof type !== 'string' || !typePattern.test(type)) {
      throw new PipelaneError('NODE_DEFINITION_INVALID', `Node type "${String(type)}" at ${where} is not "<category>.<name>".`, {
        hint: 'Use lowercase dotted names equal to the folder path, e.g. nodes/ocr/tesseract -> "ocr.tesseract".',
      });
    }
    if (byType.has(type)) {
      throw new PipelaneError('NODE_DEFINITION_INVALID', `Node type "${type}" is defined twice: ${originOf.get(type)} and ${where}.`, {
        hint: 'Rename one of the two nodes (the type must equal its folder path).',
      });
    }
    const expectedFolder = `nodes/${type.replace('.', '/')}`;
    if (origins?.[index] !== undefined && !where.includes(expectedFolder)) {
      throw new PipelaneError('NODE_DEFINITION_INVALID', `Node type "${type}" lives in ${where}, expected ${expectedFolder}/.`, {
        hint: 'Move the folder or change `type` so that they agree.',
      });
    }
    if (!definition.description?.trim() || !definition.title?.trim()) {
      throw new PipelaneError('NODE_DEFINITION_INVALID', `Node "${type}" has an empty title or description.`, {
        hint: 'Coding agents choose nodes by their description: write one sentence of what it does.',
      });
    }
    for (const lane of [...definition.inputs, ...definition.outputs]) {
      if (!isLaneName(lane)) {
        throw new PipelaneError('NODE_DEFINITION_INVALID', `Node "${type}" declares unknown lane "${String(lane)}".`, {
          hint: 'Use one of the lanes in src/lanes/lanes.ts.',
        });
      }
    }
    byType.set(type, definition);
    originOf.set(type, where);
  });
  const types = [...byType.keys()].sort();

  const registry: Registry = {
    types,
    has: (type) => byType.has(type),
    find: (type) => byType.get(type),
    nearest: (type) => nearestNames(type, types),
    get(type) {
      const definition = byType.get(type);
      if (definition) return definition;
      const nearest = registry.nearest(type);
      throw new PipelaneError('UNKNOWN_NODE_TYPE', `Unknown node type "${type}".`, {
        hint: nearest.length > 0 ? `Did you mean ${nearest.map((name) => `"${name}"`).join(' or ')}?` : 'List node types with `pipelane nodes` or the list_nodes tool.',
      });
    },
    list(filter = {}) {
      const query = filter.query?.toLowerCase();
      return types
        .map((type) => byType.get(type)!)
        .filter((definition) => !filter.category || categoryOf(definition.type) === filter.category)
        .filter((definition) => !filter.lane || definition.inputs.includes(filter.lane) || definition.outputs.includes(filter.lane))
        .filter((definition) => !query || `${definition.type} ${definition.title} ${definition.description}`.toLowerCase().includes(query));
    },
  };
  return registry;
}

export { isSourceNode };
