/**
 * Engine overhead per node hop: a pass-through chain of 3 and of 10 nodes over 100,000 items through
 * Pipelane's engine, against the same chain as a LangGraph.js StateGraph. Per hop = wall time ÷
 * (items × nodes). The engine runs as the CLI builds it (spans with previews, kept in the result,
 * no trace store); LangGraph runs without a checkpointer, in its faster mode of the two measured
 * (one `invoke` per item, or `batch` of 100).
 */
import { Annotation, END, START, StateGraph } from '@langchain/langgraph';
import { createEngine } from '../src/engine/index.js';
import { createRegistry, fakeNode } from '../src/node-kit/index.js';
import { row, type Benchmark, type BenchRow } from './report.js';

interface Item {
  text: string;
  meta: { index: number };
}

const itemOf = (index: number): Item => ({ text: `item ${index}`, meta: { index } });

/** Our chain: a source that emits `count` text items, then `hops` pass-through nodes. */
function ourChain(count: number) {
  const source = fakeNode({
    type: 'source.bench',
    outputs: ['text'],
    process: async (_input, ctx) => {
      for (let index = 0; index < count; index++) await ctx.emit('text', itemOf(index));
    },
  });
  const pass = fakeNode({ type: 'transform.pass', inputs: ['text'], outputs: ['text'] });
  const engine = createEngine({ registry: createRegistry([source, pass]) });
  return (hops: number) => {
    const nodes: unknown[] = [{ id: 'in', type: 'source.bench' }];
    for (let index = 0; index < hops; index++) nodes.push({ id: `n${index}`, type: 'transform.pass', inputs: [{ lane: 'text', from: index === 0 ? 'in' : `n${index - 1}` }] });
    const pipeline = { version: 1, name: `chain-${hops}`, nodes, outputs: [{ lane: 'text', from: `n${hops - 1}`, as: 'out' }] };
    return engine.run({ pipeline, inputs: [{ text: '' }] });
  };
}

async function timeOurs(count: number, hops: number): Promise<number> {
  const run = ourChain(count);
  const started = performance.now();
  const result = await run(hops);
  const elapsed = performance.now() - started;
  const out = result.outputs.out as Item[];
  if (result.status !== 'succeeded' || out.length !== count || out[count - 1]!.meta.index !== count - 1) {
    throw new Error(`engine chain of ${hops} did not pass every item through: ${result.status} ${JSON.stringify(result.error)}`);
  }
  return elapsed;
}

const State = Annotation.Root({ value: Annotation<Item> });

function langGraphChain(hops: number) {
  // The builder's types grow with each node name; a loop of names needs the erased form.
  let graph = new StateGraph(State) as unknown as StateGraph<typeof State.spec, unknown, unknown, string>;
  for (let index = 0; index < hops; index++) graph = graph.addNode(`n${index}`, (state: { value: Item }) => ({ value: state.value })) as typeof graph;
  graph = graph.addEdge(START, 'n0') as typeof graph;
  for (let index = 1; index < hops; index++) graph = graph.addEdge(`n${index - 1}`, `n${index}`) as typeof graph;
  graph = graph.addEdge(`n${hops - 1}`, END) as typeof graph;
  return graph.compile();
}

async function timeLangGraph(count: number, hops: number): Promise<{ ms: number; mode: string }> {
  const graph = langGraphChain(hops);
  for (let index = 0; index < 20; index++) await graph.invoke({ value: itemOf(index) }); // warm-up
  const check = (outputs: Array<{ value: Item }>, offset: number) =>
    outputs.forEach((output, position) => {
      if (output.value.meta.index !== offset + position) throw new Error('LangGraph chain changed an item');
    });
  let started = performance.now();
  for (let index = 0; index < count; index++) check([(await graph.invoke({ value: itemOf(index) })) as { value: Item }], index);
  const sequential = performance.now() - started;
  started = performance.now();
  for (let offset = 0; offset < count; offset += 100) {
    const inputs = Array.from({ length: Math.min(100, count - offset) }, (_, position) => ({ value: itemOf(offset + position) }));
    check((await graph.batch(inputs)) as Array<{ value: Item }>, offset);
  }
  const batched = performance.now() - started;
  return sequential <= batched ? { ms: sequential, mode: 'invoke per item' } : { ms: batched, mode: 'batch of 100' };
}

export const engineOverhead: Benchmark = async ({ quick }) => {
  const ours = quick ? 5_000 : 100_000;
  // LangGraph costs milliseconds per item: 100,000 items would take about an hour here, so its
  // per-hop figure is measured on fewer items (a per-item cost does not depend on the count).
  const theirs = quick ? 200 : 2_000;
  await timeOurs(2_000, 3); // warm-up (JIT)
  const rows: BenchRow[] = [];
  for (const hops of [3, 10]) {
    const oursMs = await timeOurs(ours, hops);
    const peer = await timeLangGraph(theirs, hops);
    const oursPerHop = (oursMs * 1000) / (ours * hops);
    const peerPerHop = (peer.ms * 1000) / (theirs * hops);
    rows.push(
      row({
        id: `engine-hop-${hops}`,
        title: `1. Engine overhead per node hop, chain of ${hops}`,
        ours: { value: oursPerHop, unit: 'µs/hop', label: `Pipelane engine, ${ours.toLocaleString('en-US')} items` },
        peer: { value: peerPerHop, unit: 'µs/hop', label: `LangGraph.js 1.7.3 (${peer.mode})` },
        target: { text: '≤ 0.05× (1/20 of LangGraph)', met: oursPerHop / peerPerHop <= 0.05 },
        notes: [
          `Pipelane: ${ours.toLocaleString('en-US')} items in ${(oursMs / 1000).toFixed(1)} s, one span per item and node, previews on, no trace store.`,
          `LangGraph: ${theirs.toLocaleString('en-US')} items in ${(peer.ms / 1000).toFixed(1)} s (${peer.mode}, no checkpointer).`,
        ],
      }),
    );
  }
  return rows;
};
