/**
 * Embedding micro-batching: 32 concurrent pipeline runs, each embedding its chunks with
 * embed.transformers through the hub's shared batcher, against the same 32 runs making one model
 * call per chunk. The target row uses layered-bert, a MiniLM-L6-shaped model with random weights
 * (bench/fixtures/make-layered-bert.ts), against the same hub with `batchSize: 1` (what
 * micro-batching alone brings). The tiny-bert fixture (no layers) is shown for scale: against
 * `batchSize: 1`, and against transformers.js called directly per chunk from all 32 runs at once
 * (no pool: onnxruntime overlaps the calls). Every vector must match its peer's.
 */
import { createEngine } from '../src/engine/index.js';
import { shutdownModels } from '../src/models/index.js';
import { createRegistry, fakeNode, type AnyNodeDefinition, type Document } from '../src/node-kit/index.js';
import embedOpenai from '../nodes/embed/openai/node.js';
import embedTransformers from '../nodes/embed/transformers/node.js';
import { startEmbeddingsServer } from '../test/doubles/openai-embeddings-server.js';
import { layeredBert } from './fixtures/make-layered-bert.js';
import { median, row, type Benchmark, type BenchRow } from './report.js';

const modelPath = new URL('../test/fixtures/models/tiny-bert', import.meta.url).pathname;

// The fixture's own vocabulary (27 tokens; layered-bert reuses its tokenizer): text it tokenises into real tokens, not [UNK] runs.
const vocabulary = 'invoice total date customer payment due amount cat dog pet animal car truck road vehicle the a is on of and hello world'.split(' ');

/** Run `run`'s chunks: `count` texts of `words` ± 3 words from a seeded sequence, different per run. */
function chunksOf(run: number, count: number, words: number): Document[] {
  let seed = 1 + run * 7919;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8;
  return Array.from({ length: count }, (_, chunk) => ({
    id: `run${run}-${chunk}`,
    text: Array.from({ length: words - 3 + (next() % 7) }, () => vocabulary[next() % vocabulary.length]).join(' '),
    metadata: { run, chunk },
  }));
}

type Extractor = (texts: string | string[], options: { pooling: 'mean'; normalize: boolean }) => Promise<{ tolist(): unknown }>;

/** The peer node: the same model through transformers.js, one call per chunk. */
function perChunkEmbedder(extractor: Extractor): AnyNodeDefinition {
  return fakeNode({
    type: 'embed.perchunk',
    inputs: ['documents'],
    outputs: ['documents'],
    process: async (item, ctx) => {
      const embedded: Document[] = [];
      for (const document of item as Document[]) {
        const output = await extractor(document.text, { pooling: 'mean', normalize: true });
        embedded.push({ ...document, embedding: (output.tolist() as number[][])[0]! });
      }
      await ctx.emit('documents', embedded);
    },
  });
}

const source = fakeNode({
  type: 'source.chunks',
  outputs: ['documents'],
  process: async (input, ctx) => {
    await ctx.emit('documents', JSON.parse((input as { text: string }).text) as Document[]);
  },
});

/** An engine with `embedder`; `round(runs)` times 32 concurrent runs and returns every vector by chunk id. */
function runner(embedder: AnyNodeDefinition, config: Record<string, unknown>) {
  const engine = createEngine({ registry: createRegistry([source, embedder]) });
  const pipeline = {
    version: 1,
    name: 'embed-chunks',
    nodes: [
      { id: 'in', type: 'source.chunks' },
      { id: 'embed', type: embedder.type, config, inputs: [{ lane: 'documents', from: 'in' }] },
    ],
    outputs: [{ lane: 'documents', from: 'embed', as: 'chunks' }],
  };
  const run = (documents: Document[]) => engine.run({ pipeline, inputs: [{ text: JSON.stringify(documents) }] });
  return async (runs: Document[][]) => {
    const started = performance.now();
    const results = await Promise.all(runs.map(run));
    const ms = performance.now() - started;
    const vectors = new Map<string, number[]>();
    const batchSizes: number[] = [];
    for (const result of results) {
      if (result.status !== 'succeeded') throw new Error(`embedding run failed: ${JSON.stringify(result.error)}`);
      for (const document of (result.outputs.chunks as Document[][]).flat()) vectors.set(document.id, document.embedding!);
      for (const span of result.spans) if (span.nodeId === 'embed') batchSizes.push(Number(span.attributes?.['model.batchSize'] ?? 1));
    }
    return { ms, vectors, batchSizes };
  };
}

interface Side {
  label: string;
  round: ReturnType<typeof runner>;
}

async function compare(
  options: { model: string; runCount: number; chunksPerRun: number; words: number; label: string; rounds: number; target?: string },
  oursSide: Side,
  peerSide: Side,
  notes: string[],
): Promise<BenchRow> {
  const { runCount, chunksPerRun, words, rounds } = options;
  const runs = Array.from({ length: runCount }, (_, index) => chunksOf(index, chunksPerRun, words));
  const chunks = runCount * chunksPerRun;
  // One full round each first (model load, JIT), then alternating rounds: the machine's load
  // drifts, and alternation lets both sides share it. Medians are compared.
  let ours = await oursSide.round(runs);
  let peer = await peerSide.round(runs);
  const oursTimes: number[] = [];
  const peerTimes: number[] = [];
  for (let round = 0; round < rounds; round++) {
    ours = await oursSide.round(runs);
    oursTimes.push(ours.ms);
    peer = await peerSide.round(runs);
    peerTimes.push(peer.ms);
  }
  let worst = 0;
  for (const [id, vector] of peer.vectors) {
    const mine = ours.vectors.get(id);
    if (mine === undefined) throw new Error(`chunk ${id} missing from the hub's results`);
    vector.forEach((value, index) => (worst = Math.max(worst, Math.abs(value - mine[index]!))));
  }
  const oursRate = chunks / (median(oursTimes) / 1000);
  const peerRate = chunks / (median(peerTimes) / 1000);
  return row({
    id: `embed-${options.model}-${words}-${peerSide.label}`,
    title: `3. Embedding (${options.model}), ${runCount} concurrent runs × ${chunksPerRun} ${options.label}`,
    ours: { value: oursRate, unit: 'chunks/s', label: oursSide.label },
    peer: { value: peerRate, unit: 'chunks/s', label: peerSide.label },
    target:
      options.target === undefined
        ? { text: 'shown for scale (see note)', met: worst < 1e-4 }
        : { text: options.target, met: oursRate / peerRate >= 3 && worst < 1e-4 },
    notes: [
      `Every vector equals the peer's (largest difference ${worst.toExponential(1)}). Median of ${rounds} alternating rounds: ${chunks} chunks in ${median(oursTimes).toFixed(0)} ms vs ${median(peerTimes).toFixed(0)} ms, engine runs included on both sides; hub batches held up to ${Math.max(...ours.batchSizes)} texts of several runs (maxBatch 32, maxWait 4 ms).`,
      ...notes,
    ],
  });
}

export const embedBatching: Benchmark = async ({ quick }) => {
  const { pipeline } = await import('@huggingface/transformers');
  const extractor = (await pipeline('feature-extraction', modelPath, { local_files_only: true, dtype: 'fp32' })) as unknown as Extractor & { dispose(): Promise<void> };
  const layeredPath = layeredBert();
  const layeredHub: Side = { label: 'hub micro-batcher', round: runner(embedTransformers, { modelPath: layeredPath }) };
  const layeredOneByOne: Side = { label: 'one call per chunk (hub, batchSize 1)', round: runner(embedTransformers, { modelPath: layeredPath, batchSize: 1 }) };
  const hub: Side = { label: 'hub micro-batcher', round: runner(embedTransformers, { modelPath }) };
  const oneByOne: Side = { label: 'one call per chunk (hub, batchSize 1)', round: runner(embedTransformers, { modelPath, batchSize: 1 }) };
  const direct: Side = { label: 'one call per chunk (transformers.js direct, 32 callers)', round: runner(perChunkEmbedder(extractor), {}) };
  const rounds = quick ? 1 : 5;
  const sentences = { runCount: 32, words: 10, label: 'sentence chunks (~10 words)', rounds };
  const tiny = { ...sentences, model: 'tiny-bert', chunksPerRun: quick ? 8 : 40 };
  const layered =
    'layered-bert is MiniLM-L6-shaped (6 layers, 384 hidden, 12 heads, 1536 FFN; embeddings, attention with the padding mask, ReLU FFN, LayerNorms) with random weights generated by bench/fixtures/make-layered-bert.ts: the same compute per token as the real model, but meaningless vectors (they are still compared to the peer\'s). It reuses the tiny-bert tokenizer (27-token vocabulary: a smaller embedding table, the same lookup cost).';
  const tokenising =
    'The tiny-bert fixture has no transformer layers, so a call costs tokenising (per text, ~5 µs a word in transformers.js, not batchable) plus a fixed overhead that batching shares out; the longer the text, the less there is to share. A real model spends most of a call in its layers, where batching is what makes the matrix products efficient.';
  // embed.openai against a server speaking the OpenAI embeddings wire format, in this process.
  const server = await startEmbeddingsServer({ apiKey: 'sk-bench-embeddings' });
  process.env.PIPELANE_BENCH_EMBED_KEY = 'sk-bench-embeddings';
  const api = { model: 'text-embedding-3-small', baseURL: server.baseURL, apiKeyEnv: 'PIPELANE_BENCH_EMBED_KEY', dimensions: 384 };
  const apiHub: Side = { label: 'hub micro-batcher', round: runner(embedOpenai, api) };
  const apiOneByOne: Side = { label: 'one request per chunk (hub, batchSize 1)', round: runner(embedOpenai, { ...api, batchSize: 1 }) };
  const wire =
    'embed.openai against test/doubles/openai-embeddings-server.ts (the OpenAI embeddings wire format over loopback HTTP, in this process, answering at once): a request costs the SDK, HTTP and JSON on both ends, and the same texts are hashed into vectors on both sides. A real API adds network and queueing time to every request, which batching saves as well.';
  try {
    return [
      await compare({ ...tiny, model: 'embed.openai wire', target: '≥ 3×' }, apiHub, apiOneByOne, [wire]),
      await compare({ ...sentences, model: 'layered-bert', chunksPerRun: quick ? 2 : 8, target: '≥ 3×' }, layeredHub, layeredOneByOne, [layered]),
      await compare(tiny, hub, oneByOne, [tokenising]),
      await compare(tiny, hub, direct, [
        'The direct peer lets onnxruntime run up to 32 calls of one session at once (tokenising one text while another runs); the hub runs one call per model at a time, so a large model never runs several batches that compete for the same cores.',
      ]),
      await compare({ ...tiny, chunksPerRun: quick ? 4 : 20, words: 60, label: 'paragraph chunks (~60 words)' }, hub, oneByOne, [tokenising]),
    ];
  } finally {
    await server.close();
    await extractor.dispose();
    await shutdownModels();
  }
};
