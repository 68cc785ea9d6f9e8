import type { z } from 'zod';
import { laneNames } from '../lanes/index.js';
import { nearestNames, type Problem } from '../node-kit/index.js';
import { pointer } from './json-pointer.js';
import { pipelineSchema } from './schema.js';

/** zod issues of the file format, one problem each, with JSON Pointers into the caller's document. */
export function structureProblems(raw: unknown): Problem[] {
  const parsed = pipelineSchema.safeParse(raw);
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => issueToProblem(issue, raw));
}

export function issueToProblem(issue: z.core.$ZodIssue, raw: unknown, prefix: Array<string | number> = []): Problem {
  const segments = [...prefix, ...issue.path.map((segment) => (typeof segment === 'symbol' ? String(segment) : segment))];
  const path = pointer(...segments);
  const last = segments[segments.length - 1];
  if (last === 'lane' && issue.code === 'invalid_value') {
    const given = valueAt(raw, segments.slice(prefix.length));
    const nearest = typeof given === 'string' ? nearestNames(given, laneNames, 1) : [];
    return {
      code: 'UNKNOWN_LANE',
      severity: 'error',
      path,
      message: `Unknown lane ${JSON.stringify(given)}. Lanes: ${laneNames.join(', ')}.`,
      hint: nearest[0] ? `Did you mean "${nearest[0]}"?` : 'Use one of the listed lanes (list_lanes).',
      ...(nearest[0] ? { fix: { summary: `use lane ${nearest[0]}`, patch: [{ op: 'replace' as const, path, value: nearest[0] }] } } : {}),
    };
  }
  const where = segments.length > 0 ? segments.join('.') : 'pipeline';
  return {
    code: 'PIPELINE_INVALID',
    severity: 'error',
    path,
    message: `${where}: ${issue.message}`,
    hint: hintFor(issue),
  };
}

function hintFor(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') return `Give a value of type ${issue.expected}.`;
  if (issue.code === 'unrecognized_keys') return `Remove ${issue.keys.join(', ')}; the pipeline schema is in docs/pipeline.schema.json.`;
  if (issue.code === 'invalid_value') return `Use one of: ${issue.values.map((value) => JSON.stringify(value)).join(', ')}.`;
  return 'See docs/pipeline.schema.json for the pipeline file format.';
}

export function valueAt(raw: unknown, segments: Array<string | number>): unknown {
  let current: unknown = raw;
  for (const segment of segments) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}
