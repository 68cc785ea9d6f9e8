import { PipelaneError, isPipelaneError } from '../node-kit/errors.js';
import { nearestNames } from '../node-kit/nearest.js';
import type { AgentFramework } from './spec.js';

/**
 * Throws AGENT_MAX_STEPS when model call number `step` (1-based) would exceed `maxSteps`. Adapters
 * call it before each model call, so a model still asking for tools after its last allowed call
 * stops the agent instead of running tools whose results nobody would read.
 */
export function assertWithinSteps(step: number, maxSteps: number): void {
  if (step <= maxSteps) return;
  throw new PipelaneError('AGENT_MAX_STEPS', `The agent used all ${maxSteps} model call(s) it may make and still had not answered.`, {
    hint: 'Raise maxSteps, or give the agent fewer or clearer tools and a more precise question.',
    details: { maxSteps },
  });
}

/** Anything an adapter throws that is not one of our typed errors (a framework bug, a bad response shape). */
export function agentFailedError(frameworkId: string, error: unknown): PipelaneError {
  if (isPipelaneError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new PipelaneError('AGENT_FAILED', `The ${frameworkId} agent failed: ${message}`, {
    hint: 'Read the agent-step span and the llm and tool spans under it (get_run); try another framework to tell a framework problem from a model one.',
    cause: error,
  });
}

/** The adapter with id `id`, or UNKNOWN_FRAMEWORK naming the closest ids that exist. */
export function findFramework(frameworks: readonly AgentFramework[], id: string, path = ''): AgentFramework {
  const found = frameworks.find((framework) => framework.id === id);
  if (found) return found;
  const ids = frameworks.map((framework) => framework.id);
  const nearest = nearestNames(id, ids);
  const suggestion = nearest.length > 0 ? ` Did you mean ${nearest.map((name) => `"${name}"`).join(' or ')}?` : '';
  throw new PipelaneError('UNKNOWN_FRAMEWORK', `There is no agent framework "${id}".${suggestion} Known frameworks: ${ids.join(', ') || 'none'}.`, {
    hint: `Use one of: ${ids.join(', ') || 'none (run `npm run gen` to list agents/*/adapter.ts)'}.`,
    path,
  });
}
