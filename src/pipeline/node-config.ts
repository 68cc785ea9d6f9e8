import { z } from 'zod';
import type { LaneName } from '../lanes/index.js';
import type { AnyNodeDefinition } from '../node-kit/index.js';

interface ConfigShape {
  /** Top-level fields, or null when the config is open (a record). */
  keys: string[] | null;
  /** Top-level fields that take one of a fixed set of values (`lane: "question" | "text"`). */
  choices: Array<{ key: string; values: unknown[] }>;
}

const shapeCache = new WeakMap<AnyNodeDefinition, ConfigShape>();

function configShape(definition: AnyNodeDefinition): ConfigShape {
  let shape = shapeCache.get(definition);
  if (!shape) {
    const schema = z.toJSONSchema(definition.config, { io: 'input', unrepresentable: 'any' }) as {
      properties?: Record<string, { enum?: unknown[]; const?: unknown }>;
      additionalProperties?: unknown;
    };
    const closed = schema.properties !== undefined && (schema.additionalProperties === undefined || schema.additionalProperties === false);
    const choices = Object.entries(schema.properties ?? {}).flatMap(([key, property]) =>
      Array.isArray(property.enum) ? [{ key, values: property.enum }] : property.const !== undefined ? [{ key, values: [property.const] }] : [],
    );
    shape = { keys: closed ? Object.keys(schema.properties!) : null, choices };
    shapeCache.set(definition, shape);
  }
  return shape;
}

/** Top-level config keys a node declares, or null when its config is open (a record). */
export function knownConfigKeys(definition: AnyNodeDefinition): string[] | null {
  return configShape(definition).keys;
}

/** The lanes a node instance can emit for its parsed config (sources may narrow them). */
export function emittedLanes(definition: AnyNodeDefinition, config: unknown): readonly LaneName[] {
  if (definition.outputsFor && config !== undefined) {
    try {
      return definition.outputsFor(config);
    } catch {
      return definition.outputs;
    }
  }
  return definition.outputs;
}

export interface NodeSetup {
  /**
   * A config that validates as it stands: the node's defaults written out (`{}` when it has no
   * fields). Undefined when some field has no default.
   */
  config: Record<string, unknown> | undefined;
  /** What must be given before the node can run: `config.<field>` without a default, `uses.<binding>` required. */
  needs: string[];
}

const setupCache = new WeakMap<AnyNodeDefinition, NodeSetup>();

/** What a node needs beyond its defaults, read from its definition (config schema, required bindings). */
export function nodeSetup(definition: AnyNodeDefinition): NodeSetup {
  let setup = setupCache.get(definition);
  if (!setup) {
    const needs: string[] = [];
    let config: Record<string, unknown> | undefined;
    const parsed = definition.config.safeParse({});
    if (parsed.success) config = writtenOut(definition, parsed.data) ?? {};
    else for (const issue of parsed.error.issues) needs.push(issue.path.length > 0 ? `config.${String(issue.path[0])}` : 'config');
    for (const [name, spec] of Object.entries(definition.uses ?? {})) if (spec.min > 0) needs.push(`uses.${name}`);
    setup = { config, needs: [...new Set(needs)] };
    setupCache.set(definition, setup);
  }
  return setup;
}

/** Parsed defaults as a JSON config that validates again with the same fields, or undefined. */
function writtenOut(definition: AnyNodeDefinition, data: unknown): Record<string, unknown> | undefined {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(JSON.stringify(data));
  } catch {
    return undefined;
  }
  const keys = knownConfigKeys(definition);
  if (keys && Object.keys(json as object).some((key) => !keys.includes(key))) return undefined;
  return definition.config.safeParse(json).success ? (json as Record<string, unknown>) : undefined;
}

/**
 * A change of one fixed-choice config field (`source.text`'s `lane`, `prompt.template`'s `as`) after
 * which the node emits every lane of `lanes`, found by trying the choices against the node's own
 * `outputsFor`; undefined when the node has no such field or no choice works.
 */
export function laneSwitch(
  definition: AnyNodeDefinition,
  rawConfig: unknown,
  lanes: readonly LaneName[],
): { key: string; value: unknown; config: Record<string, unknown> } | undefined {
  if (!definition.outputsFor || lanes.length === 0) return undefined;
  if (rawConfig !== undefined && (rawConfig === null || typeof rawConfig !== 'object' || Array.isArray(rawConfig))) return undefined;
  const base = (rawConfig ?? {}) as Record<string, unknown>;
  for (const { key, values } of configShape(definition).choices) {
    for (const value of values) {
      if (Object.is(base[key], value)) continue;
      const config = { ...base, [key]: value };
      const parsed = definition.config.safeParse(config);
      if (!parsed.success) continue;
      const emits = emittedLanes(definition, parsed.data);
      if (lanes.every((lane) => emits.includes(lane))) return { key, value, config };
    }
  }
  return undefined;
}
