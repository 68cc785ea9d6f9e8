import type { LaneName } from '../lanes/index.js';
import { isSourceNode, type Registry } from '../node-kit/index.js';
import { pointer, resolvePlaceholders, type Pipeline } from '../pipeline/index.js';
import { Channel } from './channel.js';
import type { Envelope, NodeInstance, Subscriber } from './node-instance.js';

/**
 * One instance per pipeline node with its config resolved (`${VAR}` values collected as secrets),
 * its input queue, and its subscribers: consumers' queues and the run's output lists.
 */
export function buildInstances(
  pipeline: Pipeline,
  env: NodeJS.ProcessEnv,
  registry: Registry,
  signal: AbortSignal,
  queueSize: number,
  outputs: Record<string, unknown[]>,
): { instances: NodeInstance[]; secrets: string[] } {
  const secrets: string[] = [];
  const instances = pipeline.nodes.map((spec, index): NodeInstance => {
    const definition = registry.get(spec.type);
    const resolved = resolvePlaceholders(spec.config ?? {}, env, pointer('nodes', index, 'config'));
    secrets.push(...resolved.secrets);
    const producers = new Set((spec.inputs ?? []).map((edge) => edge.from)).size;
    return {
      index,
      spec,
      definition,
      config: definition.config.parse(resolved.value),
      state: {},
      channel: isSourceNode(definition) ? undefined : new Channel<Envelope>(queueSize, producers, signal),
      subscribers: new Map(),
      downstream: new Set(),
      itemsDone: 0,
    };
  });
  const byId = new Map(instances.map((instance) => [instance.spec.id, instance]));
  const subscribe = (producer: NodeInstance, lane: LaneName, subscriber: Subscriber) => {
    producer.subscribers.set(lane, [...(producer.subscribers.get(lane) ?? []), subscriber]);
  };
  for (const consumer of instances) {
    for (const edge of consumer.spec.inputs ?? []) {
      const producer = byId.get(edge.from)!;
      const channel = consumer.channel!;
      subscribe(producer, edge.lane, { push: (envelope) => channel.push(envelope) });
      producer.downstream.add(channel);
    }
  }
  for (const output of pipeline.outputs) {
    const collected = outputs[output.as]!;
    subscribe(byId.get(output.from)!, output.lane, { push: async (envelope) => void collected.push(envelope.item) });
  }
  return { instances, secrets };
}
