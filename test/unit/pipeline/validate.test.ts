import { test } from 'node:test';
import assert from 'node:assert/strict';
import jsonPatch from 'fast-json-patch';
import { z } from 'zod';
import { createRegistry, fakeNode, type Problem } from '../../../src/node-kit/index.js';
import { planPaths, planPipeline, validatePipeline } from '../../../src/pipeline/index.js';
import type { LaneName } from '../../../src/lanes/index.js';

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
  assert.deepEqual(only(problems, 'DUPLICATE_NODE_ID').fix?.patch, [{ op: 'replace', path: '/nodes/1/id', value: `${(pipeline.nodes[1] as { id: string }).id}2` }]);
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

/** A node with a real config schema (fakeNode's accepts anything). */
function configured(options: Parameters<typeof fakeNode>[0], config: z.ZodType, extra: Record<string, unknown> = {}) {
  return { ...fakeNode(options), config, ...extra } as never;
}

test('equal-length chains are ranked by their definitions: general-purpose first, nodes needing config or bindings last', () => {
  const ranked = createRegistry([
    fakeNode({ type: 'source.file', outputs: ['image', 'text'] }),
    fakeNode({ type: 'ocr.tesseract', inputs: ['image'], outputs: ['text'] }),
    // alphabetically first, as chunk.code is among the real chunkers
    configured({ type: 'chunk.code', inputs: ['text'], outputs: ['documents'] }, z.object({ language: z.string().optional(), size: z.number().default(1500) })),
    configured({ type: 'chunk.needy', inputs: ['text'], outputs: ['documents'] }, z.object({ pattern: z.string() })),
    configured({ type: 'chunk.bound', inputs: ['text'], outputs: ['documents'] }, z.object({}), { uses: { llm: { kind: 'llm', min: 1, max: 1, description: 'model' } } }),
    configured({ type: 'chunk.text', inputs: ['text'], outputs: ['documents'] }, z.object({ size: z.number().default(800) }), { general: true }),
    fakeNode({ type: 'chunk.zzz', inputs: ['text'], outputs: ['documents'] }),
  ]);
  const paths = planPaths(ranked, 'image', 'documents', { maxLength: 4, limit: 10 });
  assert.deepEqual(paths.map((steps) => steps.map((step) => step.type).join(' -> ')), [
    'ocr.tesseract -> chunk.text',
    'ocr.tesseract -> chunk.code',
    'ocr.tesseract -> chunk.zzz',
    'ocr.tesseract -> chunk.bound',
    'ocr.tesseract -> chunk.needy',
  ]);
  assert.deepEqual(paths[0]![1], { type: 'chunk.text', input: 'text', output: 'documents', config: { size: 800 } });
  assert.deepEqual(paths[3]![1]!.needs, ['uses.llm']);
  assert.deepEqual(paths[4]![1], { type: 'chunk.needy', input: 'text', output: 'documents', needs: ['config.pattern'] });
  // The skeleton of the first chain carries the default configs, and validates.
  const skeleton = planPipeline(ranked, 'image', 'documents', paths[0]!);
  assert.deepEqual((skeleton.nodes as Array<{ config?: unknown }>).map((node) => node.config), [undefined, undefined, { size: 800 }]);
  assert.deepEqual(validatePipeline(skeleton, ranked), { valid: true, problems: [] });
});

/** source.text's shape: one config field chooses the lane it emits. */
const laneSource = configured({ type: 'source.text', outputs: ['question', 'text'] }, z.object({ lane: z.enum(['question', 'text']).default('question'), maxChars: z.number().default(100) }), {
  outputsFor: (config: { lane: LaneName }) => [config.lane],
});
/** prompt.template's shape: a required field without a default. */
const template = configured({ type: 'prompt.template', inputs: ['text', 'question'], outputs: ['question', 'text'] }, z.object({ template: z.string() }));
const laneRegistry = createRegistry([...registry.list(), laneSource, template, fakeNode({ type: 'prompt.rag', inputs: ['question'], outputs: ['question'] })]);

function applyFix(document: unknown, problem: Problem): unknown {
  assert.ok(problem.fix, `${problem.code} at ${problem.path} has a fix`);
  return jsonPatch.applyPatch(structuredClone(document), problem.fix.patch as jsonPatch.Operation[]).newDocument;
}

test('a producer that can emit the wanted lane by its own config gets that config as the fix, not a node it cannot configure', () => {
  const absent = withNodes([{ id: 'in', type: 'source.text' }, { id: 'chunk', type: 'chunk.text', inputs: [{ lane: 'text', from: 'in' }] }]);
  const problem = only(validatePipeline(absent, laneRegistry).problems, 'LANE_NOT_PRODUCED');
  assert.deepEqual(problem.fix?.patch, [{ op: 'add', path: '/nodes/0/config', value: { lane: 'text' } }]);
  assert.match(problem.hint, /Set lane of "in" to "text"/);
  assert.deepEqual(validatePipeline(applyFix(absent, problem), laneRegistry), { valid: true, problems: [] });

  const given = withNodes([{ id: 'in', type: 'source.text', config: { maxChars: 50 } }, { id: 'chunk', type: 'chunk.text', inputs: [{ lane: 'text', from: 'in' }] }]);
  const fix = only(validatePipeline(given, laneRegistry).problems, 'LANE_NOT_PRODUCED').fix;
  assert.deepEqual(fix?.patch, [{ op: 'add', path: '/nodes/0/config/lane', value: 'text' }]);

  // Wired on the question lane: the same config, and the edge moved to text.
  const questionEdge = withNodes([{ id: 'in', type: 'source.text' }, { id: 'chunk', type: 'chunk.text', inputs: [{ lane: 'question', from: 'in' }] }]);
  const notRead = only(validatePipeline(questionEdge, laneRegistry).problems, 'LANE_NOT_READ');
  assert.deepEqual(notRead.fix?.patch, [{ op: 'add', path: '/nodes/0/config', value: { lane: 'text' } }, { op: 'replace', path: '/nodes/1/inputs/0/lane', value: 'text' }]);
  assert.deepEqual(validatePipeline(applyFix(questionEdge, notRead), laneRegistry), { valid: true, problems: [] });
});

test('no fix switches a lane another consumer still reads, nor inserts a node whose config has required fields', () => {
  const shared = withNodes(
    [
      { id: 'in', type: 'source.text' },
      { id: 'rag', type: 'prompt.rag', inputs: [{ lane: 'question', from: 'in' }] },
      { id: 'chunk', type: 'chunk.text', inputs: [{ lane: 'text', from: 'in' }] },
    ],
    [{ lane: 'documents', from: 'chunk', as: 'chunks' }, { lane: 'question', from: 'rag', as: 'prompt' }],
  );
  const problem = only(validatePipeline(shared, laneRegistry).problems, 'LANE_NOT_PRODUCED');
  assert.equal(problem.fix, undefined, JSON.stringify(problem.fix));
});

test('inserted nodes come with a config that validates, and nodes that cannot run on defaults are passed over', () => {
  const ocrs = createRegistry([
    fakeNode({ type: 'source.file', outputs: ['file', 'image'] }),
    configured({ type: 'ocr.needy', inputs: ['image'], outputs: ['text'] }, z.object({ model: z.string() })),
    configured({ type: 'ocr.plain', inputs: ['image'], outputs: ['text'] }, z.object({ languages: z.array(z.string()).default(['eng']) })),
    configured({ type: 'chunk.text', inputs: ['text'], outputs: ['documents'] }, z.object({ size: z.number().default(800) })),
  ]);
  const pipeline = withNodes([
    { id: 'in', type: 'source.file' },
    { id: 'chunk', type: 'chunk.text', inputs: [{ lane: 'image', from: 'in' }] },
  ]);
  const problem = only(validatePipeline(pipeline, ocrs).problems, 'LANE_NOT_READ');
  assert.deepEqual(problem.fix?.patch, [
    { op: 'add', path: '/nodes/2', value: { id: 'ocr', type: 'ocr.plain', config: { languages: ['eng'] }, inputs: [{ lane: 'image', from: 'in' }] } },
    { op: 'replace', path: '/nodes/1/inputs/0', value: { lane: 'text', from: 'ocr' } },
  ]);
  assert.deepEqual(validatePipeline(applyFix(pipeline, problem), ocrs), { valid: true, problems: [] });
});

test('an output from an unknown id gets the nearest-id fix, and the node it points at is not also reported unused', () => {
  const pipeline = structuredClone(good);
  pipeline.outputs = [{ lane: 'documents', from: 'chunks', as: 'chunks' }];
  const { problems } = validatePipeline(pipeline, registry);
  assert.deepEqual(problems.map((problem) => problem.code), ['UNKNOWN_NODE_REFERENCE']);
  const problem = problems[0]!;
  assert.equal(problem.path, '/outputs/0/from');
  assert.match(problem.hint, /Did you mean "chunk"\?/);
  assert.deepEqual(problem.fix?.patch, [{ op: 'replace', path: '/outputs/0/from', value: 'chunk' }]);
  assert.deepEqual(validatePipeline(applyFix(pipeline, problem), registry), { valid: true, problems: [] });

  // Only nodes that emit the lane collected are suggested: chunk emits no text.
  const text = structuredClone(good);
  text.outputs = [{ lane: 'text', from: 'chunks', as: 'text' }];
  const unknown = only(validatePipeline(text, registry).problems, 'UNKNOWN_NODE_REFERENCE');
  assert.equal(unknown.fix, undefined);
  assert.match(unknown.hint, /Use one of: in, ocr, chunk/);
});

test('an edge from an unknown id does not make the node its fix points at an unused-node warning', () => {
  const pipeline = structuredClone(good);
  pipeline.nodes[2]!.inputs = [{ lane: 'text', from: 'orc' }];
  const { problems } = validatePipeline(pipeline, registry);
  assert.deepEqual(problems.map((problem) => [problem.code, problem.path]), [['UNKNOWN_NODE_REFERENCE', '/nodes/2/inputs/0/from']]);
});

test('a duplicated id hides no other problem: the second node and the rest are still checked', () => {
  const strict = createRegistry([
    ...registry.list().filter((definition) => definition.type !== 'chunk.text'),
    configured({ type: 'chunk.text', inputs: ['text'], outputs: ['documents'] }, z.object({ size: z.number().default(800) })),
  ]);
  const pipeline = withNodes(
    [
      { id: 'in', type: 'source.file' },
      { id: 'ocr', type: 'ocr.tesseract', inputs: [{ lane: 'image', from: 'in' }] },
      { id: 'ocr', type: 'pii.anonymize', inputs: [{ lane: 'text', from: 'orc' }] },
      { id: 'pii', type: 'pii.anonymise', inputs: [{ lane: 'text', from: 'ocr' }] },
      { id: 'chunk', type: 'chunk.text', config: { size: 'big' }, inputs: [{ lane: 'text', from: 'orc' }] },
      { id: 'chunk', type: 'chunk.text', config: { size: 'small' }, inputs: [{ lane: 'image', from: 'ocr' }] },
    ],
    [{ lane: 'documents', from: 'chunk', as: 'chunks' }],
  );
  const codes = validatePipeline(pipeline, strict).problems.map((problem) => [problem.code, problem.path]);
  assert.deepEqual(codes, [
    ['DUPLICATE_NODE_ID', '/nodes/2/id'],
    ['UNKNOWN_NODE_TYPE', '/nodes/3/type'],
    ['CONFIG_INVALID', '/nodes/4/config/size'],
    ['DUPLICATE_NODE_ID', '/nodes/5/id'],
    ['CONFIG_INVALID', '/nodes/5/config/size'],
    ['UNKNOWN_NODE_REFERENCE', '/nodes/2/inputs/0/from'],
    ['UNKNOWN_NODE_REFERENCE', '/nodes/4/inputs/0/from'],
    ['LANE_NOT_PRODUCED', '/nodes/5/inputs/0/lane'],
    ['LANE_NOT_READ', '/nodes/5/inputs/0/lane'],
  ]);
  // Renaming the duplicates leaves the same other problems (and, the ids now free, no more).
  const renamed = structuredClone(pipeline);
  renamed.nodes[2] = { ...(renamed.nodes[2] as object), id: 'ocr2' };
  renamed.nodes[5] = { ...(renamed.nodes[5] as object), id: 'chunk2' };
  const renamedErrors = validatePipeline(renamed, strict).problems.filter((problem) => problem.severity === 'error').map((problem) => [problem.code, problem.path]);
  assert.deepEqual(renamedErrors, codes.filter(([code]) => code !== 'DUPLICATE_NODE_ID'));
});
