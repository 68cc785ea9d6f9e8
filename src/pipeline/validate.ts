import { isLaneName, type LaneName } from '../lanes/index.js';
import { isSourceNode, nearestNames, type AnyNodeDefinition, type Fix, type Problem, type Registry } from '../node-kit/index.js';
import { hasPlaceholder, placeholderNames } from '../node-kit/env.js';
import { insertChainFix, laneConfigFix } from './fixes.js';
import { attributeProblems } from './validate-attributes.js';
import { graphProblems } from './validate-graph.js';
import { pointer } from './json-pointer.js';
import { emittedLanes, knownConfigKeys } from './node-config.js';
import { freeNodeId, viewsById, type NodeView } from './node-views.js';
import { issueToProblem, structureProblems, valueAt } from './validate-structure.js';
import { bindingProblems } from './validate-bindings.js';
import { boundNodeIds, unconnectedNodeIds } from './bindings.js';
import type { PipelineLibrary } from './library.js';

export interface ValidationResult {
  valid: boolean;
  problems: Problem[];
}

export type { NodeView } from './node-views.js';

export interface ValidateOptions {
  /** Environment used to warn about unset `${VAR}` placeholders (names only, never values). */
  env?: NodeJS.ProcessEnv;
  /** Saved pipelines, to check `pipe:<name>` tool bindings; without it they are not checked. */
  pipelines?: Pick<PipelineLibrary, 'has' | 'names'>;
}

/**
 * Every problem of a pipeline at once, each with a JSON Pointer into the caller's document and,
 * where one exists, a JSON Patch that fixes it. Works on anything: a broken document still gets
 * its graph checked as far as it can be read.
 */
export function validatePipeline(raw: unknown, registry: Registry, options: ValidateOptions = {}): ValidationResult {
  const problems: Problem[] = structureProblems(raw);
  const rawNodes = Array.isArray((raw as { nodes?: unknown })?.nodes) ? ((raw as { nodes: unknown[] }).nodes) : [];
  const views: NodeView[] = [];
  const seen = new Map<string, number>();

  rawNodes.forEach((rawNode, index) => {
    if (!rawNode || typeof rawNode !== 'object') return;
    const node = rawNode as Record<string, unknown>;
    if (typeof node.id !== 'string' || typeof node.type !== 'string') return;
    // The second node of an id is still checked in full; only references to the id go to the first.
    const duplicateOf = seen.get(node.id);
    if (duplicateOf !== undefined) {
      const renamed = freeNodeId(node.id, new Set(rawNodes.map((other) => (other as { id?: unknown } | null)?.id).filter((id): id is string => typeof id === 'string')));
      problems.push({
        code: 'DUPLICATE_NODE_ID',
        severity: 'error',
        path: pointer('nodes', index, 'id'),
        message: `Node id "${node.id}" is used by nodes ${duplicateOf} and ${index}.`,
        hint: `Give every node a unique id; edges and outputs that read "${node.id}" read node ${duplicateOf}.`,
        fix: { summary: `rename node ${index} to "${renamed}"`, patch: [{ op: 'replace', path: pointer('nodes', index, 'id'), value: renamed }] },
      });
    } else {
      seen.set(node.id, index);
    }
    const definition = registry.find(node.type);
    if (!definition) problems.push(unknownTypeProblem(node.type, index, registry));
    const config = definition ? checkConfig(definition, node.config, index, problems, options.env) : undefined;
    const inputs = (Array.isArray(node.inputs) ? node.inputs : []).flatMap((edge, edgeIndex) => {
      const { lane, from } = (edge ?? {}) as { lane?: unknown; from?: unknown };
      return typeof lane === 'string' && isLaneName(lane) && typeof from === 'string' ? [{ index: edgeIndex, lane, from }] : [];
    });
    views.push({
      index,
      id: node.id,
      type: node.type,
      definition,
      config,
      emits: definition ? emittedLanes(definition, config) : [],
      inputs,
      declaredInputs: Array.isArray(node.inputs) ? node.inputs.length : 0,
      ...(duplicateOf !== undefined ? { duplicateOf } : {}),
    });
  });

  // Ids that a fix of an unknown reference points at: not reported as unused as well.
  const meant = new Set<string>();
  problems.push(...edgeProblems(views, registry, raw, rawNodes, meant));
  problems.push(...bindingProblems(views, rawNodes, options.pipelines));
  // A model node with no edges is waiting to be bound (a binding problem says so), not missing inputs.
  const bound = boundNodeIds(rawNodes);
  const standby = new Set([...unconnectedNodeIds(raw)].filter((id) => bound.has(id) || views.some((view) => view.id === id && view.definition?.languageModel)));
  problems.push(...graphProblems(views, raw, registry, { boundOnly: standby, bound }, meant));
  problems.push(...attributeProblems(views));
  return { valid: !problems.some((problem) => problem.severity === 'error'), problems };
}

function unknownTypeProblem(type: string, index: number, registry: Registry): Problem {
  const nearest = registry.nearest(type);
  const path = pointer('nodes', index, 'type');
  return {
    code: 'UNKNOWN_NODE_TYPE',
    severity: 'error',
    path,
    message: `Unknown node type "${type}"${nearest.length ? `; nearest: ${nearest.join(', ')}` : ''}.`,
    hint: nearest[0] ? `Did you mean "${nearest[0]}"? List types with list_nodes.` : 'List node types with list_nodes or `pipelane nodes`.',
    ...(nearest[0] ? { fix: { summary: `use ${nearest[0]}`, patch: [{ op: 'replace' as const, path, value: nearest[0] }] } } : {}),
  };
}

function checkConfig(
  definition: AnyNodeDefinition,
  config: unknown,
  index: number,
  problems: Problem[],
  env: NodeJS.ProcessEnv | undefined,
): unknown {
  const parsed = definition.config.safeParse(config ?? {});
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      // A `${VAR}` value is only known at run time; the engine checks it then.
      const value = valueAt(config, issue.path.filter((segment): segment is string | number => typeof segment !== 'symbol'));
      if (typeof value === 'string' && hasPlaceholder(value)) continue;
      const problem = issueToProblem(issue, config, ['nodes', index, 'config']);
      // The path is in `path` already: the message names the field as a node author writes it.
      const where = ['nodes', index, 'config', ...issue.path.map(String)].join('.');
      const field = ['config', ...issue.path.map(String)].join('.');
      const message = problem.message.startsWith(`${where}: `) ? `${definition.type} ${field}: ${problem.message.slice(where.length + 2)}` : problem.message;
      const generic = problem.hint.startsWith('See docs/pipeline.schema.json');
      const hint = `${generic ? '' : `${problem.hint} `}describe_node ${definition.type} shows each config field with its type, default and bounds.`;
      problems.push({ ...problem, code: 'CONFIG_INVALID', message, hint });
    }
  }
  problems.push(...unknownKeyProblems(definition, config, index));
  if (env) {
    for (const name of placeholderNames(config)) {
      if (env[name] === undefined) {
        problems.push({
          code: 'MISSING_ENV_VARIABLE',
          severity: 'warning',
          path: pointer('nodes', index, 'config'),
          message: `Config uses \${${name}}, which is not set in this environment.`,
          hint: `Set ${name} before running; its value is read at run time and never stored.`,
        });
      }
    }
  }
  return parsed.success ? parsed.data : undefined;
}

/** A misspelt key would otherwise be dropped silently and the default used instead. */
function unknownKeyProblems(definition: AnyNodeDefinition, config: unknown, index: number): Problem[] {
  const known = knownConfigKeys(definition);
  if (!known || !config || typeof config !== 'object' || Array.isArray(config)) return [];
  return Object.keys(config)
    .filter((key) => !known.includes(key))
    .map((key) => {
      const path = pointer('nodes', index, 'config', key);
      const [nearest] = nearestNames(key, known, 1).filter((name) => !Object.hasOwn(config, name));
      return {
        code: 'CONFIG_UNKNOWN_KEY',
        severity: 'error' as const,
        path,
        message: `${definition.type} has no config field "${key}" (fields: ${known.join(', ')}).`,
        hint: nearest ? `Did you mean "${nearest}"?` : `Remove "${key}"; describe_node ${definition.type} lists the fields.`,
        fix: nearest
          ? { summary: `rename ${key} to ${nearest}`, patch: [{ op: 'remove' as const, path }, { op: 'add' as const, path: pointer('nodes', index, 'config', nearest), value: (config as Record<string, unknown>)[key] }] }
          : { summary: `remove ${key}`, patch: [{ op: 'remove' as const, path }] },
      };
    });
}

function edgeProblems(views: NodeView[], registry: Registry, raw: unknown, rawNodes: readonly unknown[], meant: Set<string>): Problem[] {
  const problems: Problem[] = [];
  const nodeCount = rawNodes.length;
  const byId = viewsById(views);
  const takenIds = new Set(views.map((view) => view.id));
  for (const consumer of views) {
    for (const edge of consumer.inputs) {
      const edgePath = pointer('nodes', consumer.index, 'inputs', edge.index);
      const producer = byId.get(edge.from);
      if (!producer) {
        const nearest = nearestNames(edge.from, plausibleProducers(views, consumer, edge.lane), 1);
        if (nearest[0]) meant.add(nearest[0]);
        problems.push({
          code: 'UNKNOWN_NODE_REFERENCE',
          severity: 'error',
          path: edgePath + '/from',
          message: `Node "${consumer.id}" reads ${edge.lane} from "${edge.from}", which is not a node of this pipeline (nodes: ${[...byId.keys()].join(', ')}).`,
          hint: nearest[0] ? `Did you mean "${nearest[0]}"?` : 'Point `from` at the id of an existing node.',
          ...(nearest[0] ? { fix: { summary: `read from ${nearest[0]}`, patch: [{ op: 'replace' as const, path: edgePath + '/from', value: nearest[0] }] } } : {}),
        });
        continue;
      }
      if (!producer.definition || !consumer.definition) continue;
      const reads = consumer.definition.inputs as LaneName[];
      if (isSourceNode(consumer.definition)) {
        problems.push({
          code: 'INPUT_ON_SOURCE',
          severity: 'error',
          path: edgePath,
          message: `Node "${consumer.id}" (${consumer.type}) is a source and reads no lanes, but declares an input from "${edge.from}".`,
          hint: 'Remove the input, or use a node that reads this lane.',
          fix: { summary: 'remove the input', patch: [{ op: 'remove', path: edgePath }] },
        });
        continue;
      }
      const produced = producer.emits.includes(edge.lane);
      const read = reads.includes(edge.lane);
      // A config change of the producer must keep working what else reads from it.
      const switchLane = (wantedLanes: readonly LaneName[]): Fix | undefined =>
        producer.config === undefined
          ? undefined
          : laneConfigFix({
              producer: { index: producer.index, id: producer.id, definition: producer.definition! },
              rawConfig: (rawNodes[producer.index] as { config?: unknown }).config,
              wantedLanes,
              keepLanes: lanesReadFrom(views, raw, producer, { consumer: consumer.index, edge: edge.index }),
              edge: { path: edgePath, lane: edge.lane },
            });
      if (!produced) {
        const common = producer.emits.filter((lane) => reads.includes(lane));
        // The lane asked for, when the producer can emit it by its own config (source.text's `lane`).
        const fix =
          (read ? switchLane([edge.lane]) : undefined) ??
          (common[0] ? { summary: `read lane ${common[0]} instead`, patch: [{ op: 'replace' as const, path: edgePath + '/lane', value: common[0] }] } : undefined) ??
          insertChainFix({ registry, producerId: producer.id, fromLanes: producer.emits, wantedLanes: reads, edgePath, nodeCount, takenIds });
        problems.push({
          code: 'LANE_NOT_PRODUCED',
          severity: 'error',
          path: edgePath + '/lane',
          message: `Node "${consumer.id}" reads lane ${edge.lane} from "${producer.id}", but ${producer.type} emits ${producer.emits.join(', ') || 'nothing'}.`,
          hint: fix ? `${capitalize(fix.summary)}.` : `Read one of ${producer.emits.join(', ')} from "${producer.id}", or put a converting node between them.`,
          ...(fix ? { fix } : {}),
        });
      }
      if (!read) {
        const fix =
          switchLane(reads) ??
          insertChainFix({ registry, producerId: producer.id, fromLanes: produced ? [edge.lane] : producer.emits, wantedLanes: reads, edgePath, nodeCount, takenIds });
        problems.push({
          code: 'LANE_NOT_READ',
          severity: 'error',
          path: edgePath + '/lane',
          message: `Node "${consumer.id}" (${consumer.type}) reads ${reads.join(', ')}, not ${edge.lane} from "${producer.id}".`,
          hint: fix ? `${capitalize(fix.summary)}.` : `No node chain turns ${edge.lane} into ${reads.join(' or ')}; pick another consumer (plan_path helps).`,
          ...(fix ? { fix } : {}),
        });
      }
    }
  }
  return problems;
}

/** Lanes other edges and outputs read from `producer` that it emits now (the edge `except` left out). */
function lanesReadFrom(views: NodeView[], raw: unknown, producer: NodeView, except: { consumer: number; edge: number }): LaneName[] {
  const lanes = new Set<LaneName>();
  for (const view of views) {
    for (const edge of view.inputs) {
      if (edge.from === producer.id && !(view.index === except.consumer && edge.index === except.edge)) lanes.add(edge.lane);
    }
  }
  const outputs = (raw as { outputs?: unknown } | null)?.outputs;
  for (const output of Array.isArray(outputs) ? outputs : []) {
    const { lane, from } = (output ?? {}) as { lane?: unknown; from?: unknown };
    if (from === producer.id && typeof lane === 'string' && isLaneName(lane)) lanes.add(lane);
  }
  return [...lanes].filter((lane) => producer.emits.includes(lane));
}

/** Nodes that emit `lane` and are not downstream of `consumer` (reading from those would make a cycle). */
function plausibleProducers(views: NodeView[], consumer: NodeView, lane: LaneName): string[] {
  const downstream = new Set([consumer.id]);
  for (let changed = true; changed; ) {
    changed = false;
    for (const view of views) {
      if (!downstream.has(view.id) && view.inputs.some((edge) => downstream.has(edge.from))) {
        downstream.add(view.id);
        changed = true;
      }
    }
  }
  return views.filter((view) => view.duplicateOf === undefined && !downstream.has(view.id) && (!view.definition || view.emits.includes(lane))).map((view) => view.id);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
