import { test } from 'node:test';
import assert from 'node:assert/strict';
import jsonPatch from 'fast-json-patch';
import { z } from 'zod';
import { createRegistry, fakeNode, type Problem } from '../../../src/node-kit/index.js';
import { planPaths, validatePipeline } from '../../../src/pipeline/index.js';

const registry = createRegistry([
  fakeNode({ type: 'source.file', outputs: ['file', 'image', 'text'] }),
  fakeNode({ type: 'ocr.tesseract', inputs: ['image'], outputs: ['text'] }),
  fakeNode({ type: 'pii.anonymize', inputs: ['text'], outputs: ['text', 'entities'] }),
  fakeNode({ type: 'chunk.text', inputs: ['text'], outputs: ['documents'] }),
]);

const good = {
  version: 1,
  name: 'scan',
  nodes: [
    { id: 'in', type: 'source.file' },
    { id: 'ocr', type: 'ocr.tesseract', inputs: [{ lane: 'image', from: 'in' }] },
    { id: 'chunk', type: 'chunk.text', inputs: [{ lane: 'text', from: 'ocr' }] },
  ],
  outputs: [{ lane: 'documents', from: 'chunk', as: 'chunks' }],
};

function withNodes(nodes: unknown[], outputs: unknown[] = [{ lane: 'documents', from: 'chunk', as: 'chunks' }]) {
  return { version: 1, name: 'p', nodes, outputs };
}

function only(problems: Problem[], code: string): Problem {
  const found = problems.filter((problem) => problem.code === code);
  assert.equal(found.length, 1, `expected one ${code}, got ${JSON.stringify(problems.map((problem) => problem.code))}`);
  return found[0]!;
}

test('a correct pipeline has no problems', () => {
  assert.deepEqual(validatePipeline(good, registry), { valid: true, problems: [] });
});

test('three different mistakes come back together, each with its own path', () => {
  const broken = structuredClone(good) as typeof good;
  broken.nodes[1]!.type = 'ocr.tesserac';
  broken.nodes[2]!.inputs = [{ lane: 'text', from: 'ocrr' }];
  broken.outputs = [];
  const { valid, problems } = validatePipeline(broken, registry);
  assert.equal(valid, false);
  assert.deepEqual(problems.map((problem) => [problem.code, problem.path]), [
    ['UNKNOWN_NODE_TYPE', '/nodes/1/type'],
    ['UNKNOWN_NODE_REFERENCE', '/nodes/2/inputs/0/from'],
    ['NO_OUTPUT', '/outputs'],
  ]);
  assert.deepEqual(problems[0]!.fix?.patch, [{ op: 'replace', path: '/nodes/1/type', value: 'ocr.tesseract' }]);
  assert.match(problems[1]!.hint, /"ocr"/);
});

test('an image edge into a text reader gets a fix that inserts ocr.tesseract, and the fix validates', () => {
  const pipeline = withNodes([
    { id: 'in', type: 'source.file' },
    { id: 'chunk', type: 'chunk.text', inputs: [{ lane: 'image', from: 'in' }] },
  ]);
  const { problems } = validatePipeline(pipeline, registry);
  const problem = only(problems, 'LANE_NOT_READ');
  assert.equal(problem.path, '/nodes/1/inputs/0/lane');
  assert.equal(problem.fix?.summary, 'insert ocr.tesseract between "in" and the consumer');
  const patched = jsonPatch.applyPatch(structuredClone(pipeline), problem.fix!.patch as jsonPatch.Operation[]).newDocument;
  assert.deepEqual(validatePipeline(patched, registry), { valid: true, problems: [] });
});

test('a lane the producer does not emit names what it does emit', () => {
  const pipeline = withNodes([
    { id: 'in', type: 'source.file' },
    { id: 'ocr', type: 'ocr.tesseract', inputs: [{ lane: 'image', from: 'in' }] },
    { id: 'chunk', type: 'chunk.text', inputs: [{ lane: 'documents', from: 'ocr' }] },
  ]);
  const problems = validatePipeline(pipeline, registry).problems;
  const problem = only(problems, 'LANE_NOT_PRODUCED');
  assert.match(problem.message, /ocr\.tesseract emits text/);
  assert.deepEqual(problem.fix?.patch, [{ op: 'replace', path: '/nodes/2/inputs/0/lane', value: 'text' }]);
});

test('bad config comes back as zod issues under the node config path', () => {
  const strict = createRegistry([
    fakeNode({ type: 'source.file', outputs: ['text'] }),
    { ...fakeNode({ type: 'chunk.text', inputs: ['text'], outputs: ['documents'] }), config: z.object({ size: z.number().int().min(50), overlap: z.number().default(0) }) },
  ]);
  const pipeline = withNodes([{ id: 'in', type: 'source.file' }, { id: 'chunk', type: 'chunk.text', config: { size: 'big', overlap: -1n }, inputs: [{ lane: 'text', from: 'in' }] }]);
  const problems = validatePipeline(pipeline, strict).problems.filter((problem) => problem.code === 'CONFIG_INVALID');
  assert.deepEqual(problems.map((problem) => problem.path), ['/nodes/1/config/size', '/nodes/1/config/overlap']);
  assert.match(problems[0]!.message, /size: Invalid input: expected number, received string/);
  assert.match(problems[0]!.hint, /describe_node chunk\.text/);
});

test('cycles, unreachable nodes, missing source and missing input are each reported', () => {
  const cycle = withNodes([
    { id: 'in', type: 'source.file' },
    { id: 'a', type: 'pii.anonymize', inputs: [{ lane: 'text', from: 'in' }, { lane: 'text', from: 'b' }] },
    { id: 'b', type: 'pii.anonymize', inputs: [{ lane: 'text', from: 'a' }] },
    { id: 'chunk', type: 'chunk.text', inputs: [{ lane: 'text', from: 'b' }] },
  ]);
  assert.match(only(validatePipeline(cycle, registry).problems, 'CYCLE').message, /a -> b -> a|b -> a -> b/);

  const island = withNodes([
    { id: 'in', type: 'source.file' },
    { id: 'x', type: 'pii.anonymize', inputs: [{ lane: 'text', from: 'y' }] },
    { id: 'y', type: 'pii.anonymize', inputs: [{ lane: 'text', from: 'x' }] },
    { id: 'chunk', type: 'chunk.text', inputs: [{ lane: 'text', from: 'in' }] },
  ]);
  const islandCodes = validatePipeline(island, registry).problems.map((problem) => problem.code);
  assert.equal(islandCodes.filter((code) => code === 'UNREACHABLE_NODE').length, 2);

  const noSource = withNodes([{ id: 'chunk', type: 'chunk.text' }]);
  const noSourceProblems = validatePipeline(noSource, registry).problems;
  assert.deepEqual(only(noSourceProblems, 'NO_SOURCE').fix?.patch, [{ op: 'add', path: '/nodes/-', value: { id: 'in', type: 'source.file' } }]);
  assert.equal(only(noSourceProblems, 'MISSING_INPUT').path, '/nodes/0');
});

test('unknown lanes, duplicate ids and outputs from nowhere', () => {
  const pipeline = withNodes(
    [
      { id: 'in', type: 'source.file' },
      { id: 'in', type: 'chunk.text', inputs: [{ lane: 'txt', from: 'in' }] },
    ],
    [{ lane: 'documents', from: 'chunky', as: 'chunks' }],
  );
  const problems = validatePipeline(pipeline, registry).problems;
  assert.deepEqual(only(problems, 'UNKNOWN_LANE').fix?.patch, [{ op: 'replace', path: '/nodes/1/inputs/0/lane', value: 'text' }]);
  assert.equal(only(problems, 'DUPLICATE_NODE_ID').path, '/nodes/1/id');
  assert.equal(only(problems, 'UNKNOWN_NODE_REFERENCE').path, '/outputs/0/from');
});

test('a missing ${VAR} is a warning naming the variable only', () => {
  const pipeline = structuredClone(good);
  (pipeline.nodes[1] as { config?: unknown }).config = { apiKey: '${PIPELANE_SURELY_UNSET}' };
  const result = validatePipeline(pipeline, registry, { env: {} });
  assert.equal(result.valid, true);
  assert.match(only(result.problems, 'MISSING_ENV_VARIABLE').message, /PIPELANE_SURELY_UNSET/);
});

test('planPaths finds the shortest chains between lanes', () => {
  assert.deepEqual(planPaths(registry, 'image', 'documents').map((steps) => steps.map((step) => step.type)), [['ocr.tesseract', 'chunk.text']]);
  assert.deepEqual(planPaths(registry, 'image', 'entities')[0]?.map((step) => `${step.input}>${step.type}>${step.output}`), ['image>ocr.tesseract>text', 'text>pii.anonymize>entities']);
  assert.deepEqual(planPaths(registry, 'documents', 'image'), []);
});

test('garbage is reported, not thrown', () => {
  for (const raw of [null, 42, 'pipeline', [], { nodes: 'x' }]) {
    const result = validatePipeline(raw, registry);
    assert.equal(result.valid, false);
    assert.ok(result.problems.length > 0);
  }
});

test('a misspelt config key is an error with a rename fix, not silently dropped', () => {
  const strict = createRegistry([
    fakeNode({ type: 'source.file', outputs: ['text'] }),
    { ...fakeNode({ type: 'chunk.text', inputs: ['text'], outputs: ['documents'] }), config: z.object({ size: z.number().default(800), overlap: z.number().default(80) }) },
  ]);
  const pipeline = withNodes([{ id: 'in', type: 'source.file' }, { id: 'chunk', type: 'chunk.text', config: { sise: 400, overlap: 10 }, inputs: [{ lane: 'text', from: 'in' }] }]);
  const problem = only(validatePipeline(pipeline, strict).problems, 'CONFIG_UNKNOWN_KEY');
  assert.equal(problem.path, '/nodes/1/config/sise');
  assert.match(problem.message, /fields: size, overlap/);
  const patched = jsonPatch.applyPatch(structuredClone(pipeline), problem.fix!.patch as jsonPatch.Operation[]).newDocument;
  assert.deepEqual((patched.nodes[1] as { config: unknown }).config, { overlap: 10, size: 400 });
});

test('a ${VAR} in a constrained config field is left to run time', () => {
  const strict = createRegistry([
    fakeNode({ type: 'source.file', outputs: ['text'] }),
    { ...fakeNode({ type: 'chunk.text', inputs: ['text'], outputs: ['documents'] }), config: z.object({ region: z.enum(['US', 'DE']).default('US') }) },
  ]);
  const pipeline = withNodes([{ id: 'in', type: 'source.file' }, { id: 'chunk', type: 'chunk.text', config: { region: '${REGION}' }, inputs: [{ lane: 'text', from: 'in' }] }]);
  assert.deepEqual(validatePipeline(pipeline, strict, { env: { REGION: 'DE' } }), { valid: true, problems: [] });
});

test('unknown keys in the pipeline document itself are reported', () => {
  const pipeline = structuredClone(good) as Record<string, unknown>;
  (pipeline.nodes as Array<Record<string, unknown>>)[1]!.input = [{ lane: 'image', from: 'in' }];
  const problems = validatePipeline(pipeline, registry).problems;
  assert.ok(problems.some((problem) => problem.code === 'PIPELINE_INVALID' && problem.path === '/nodes/1' && /input/.test(problem.message)), JSON.stringify(problems));
});

test('a missing producer is only suggested when it emits the lane and would not make a cycle', () => {
  const pipeline = withNodes([
    { id: 'ocr', type: 'ocr.tesseract', inputs: [{ lane: 'image', from: 'inn' }] },
    { id: 'pii', type: 'pii.anonymize', inputs: [{ lane: 'text', from: 'ocr' }] },
    { id: 'chunk', type: 'chunk.text', inputs: [{ lane: 'text', from: 'pii' }] },
  ]);
  const problem = validatePipeline(pipeline, registry).problems.find((entry) => entry.code === 'UNKNOWN_NODE_REFERENCE')!;
  assert.equal(problem.fix, undefined, 'pii emits text, not image, and is downstream of ocr');
});

test('an embedder of one dimension feeding a store of another is a validation error', () => {
  const embedder = {
    ...fakeNode({ type: 'embed.fake', inputs: ['documents'], outputs: ['documents'] }),
    config: z.object({ dimensions: z.number().default(1536) }),
    attributes: (config: { dimensions: number }) => ({ documents: { embedding: { dim: config.dimensions, model: 'fake' } } }),
  };
  const store = {
    ...fakeNode({ type: 'store.fake', inputs: ['documents'], outputs: ['documents'] }),
    config: z.object({ dimensions: z.number().optional() }),
    requires: (config: { dimensions?: number }) => (config.dimensions ? { documents: { embedding: { dim: config.dimensions } } } : {}),
  };
  const withStores = createRegistry([...registry.list(), embedder as never, store as never]);
  const pipeline = (storeDimensions: number) =>
    withNodes(
      [
        { id: 'in', type: 'source.file' },
        { id: 'ocr', type: 'ocr.tesseract', inputs: [{ lane: 'image', from: 'in' }] },
        { id: 'chunk', type: 'chunk.text', inputs: [{ lane: 'text', from: 'ocr' }] },
        { id: 'embed', type: 'embed.fake', config: { dimensions: 1536 }, inputs: [{ lane: 'documents', from: 'chunk' }] },
        { id: 'db', type: 'store.fake', config: { dimensions: storeDimensions }, inputs: [{ lane: 'documents', from: 'embed' }] },
      ],
      [{ lane: 'documents', from: 'db', as: 'stored' }],
    );
  const problem = only(validatePipeline(pipeline(384), withStores).problems, 'LANE_ATTRIBUTE_MISMATCH');
  assert.equal(problem.path, '/nodes/4/inputs/0');
  assert.match(problem.message, /needs documents with embedding \{"dim":384\}, but "embed" \(embed\.fake\) gives \{"dim":1536,"model":"fake"\}/);
  assert.deepEqual(validatePipeline(pipeline(1536), withStores), { valid: true, problems: [] });
});
