/**
 * The planner and the validator's fixes over the real node registry: what an agent gets from
 * plan_path's first chain and from applying a proposed fix must be usable as it stands.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import jsonPatch from 'fast-json-patch';
import { loadRegistry } from '../../src/cli/app.js';
import type { LaneName } from '../../src/lanes/index.js';
import type { Problem, Registry } from '../../src/node-kit/index.js';
import { planPaths, planPipeline, validatePipeline } from '../../src/pipeline/index.js';

let registry: Registry;
before(async () => (registry = await loadRegistry()));

const names = (from: LaneName, to: LaneName) => planPaths(registry, from, to).map((steps) => steps.map((step) => step.type).join(' -> '));

test('plan_path image -> documents: OCR text goes to the general text chunker first, not the code chunker', () => {
  const paths = names('image', 'documents');
  assert.equal(paths[0], 'ocr.tesseract -> chunk.text');
  assert.ok(paths.indexOf('ocr.tesseract -> chunk.code') > 0, JSON.stringify(paths));
  assert.equal(names('text', 'documents')[0], 'chunk.text');
  assert.equal(names('file', 'text')[0], 'parse.auto');
});

test('every planned step carries a config that validates, or says what it needs; chains that run on defaults come first', () => {
  const pairs: Array<[LaneName, LaneName]> = [
    ['image', 'documents'],
    ['text', 'documents'],
    ['file', 'documents'],
    ['image', 'entities'],
    ['file', 'table'],
    ['question', 'answer'],
    ['text', 'question'],
    ['question', 'text'],
  ];
  for (const [from, to] of pairs) {
    const paths = planPaths(registry, from, to);
    assert.ok(paths.length > 0, `${from} -> ${to}`);
    for (let index = 1; index < paths.length; index++) {
      const [previous, current] = [paths[index - 1]!, paths[index]!];
      const waiting = (steps: typeof current) => steps.filter((step) => step.needs).length;
      if (previous.length === current.length) assert.ok(waiting(previous) <= waiting(current), `${from} -> ${to}: ${JSON.stringify(names(from, to))}`);
    }
    for (const steps of paths) {
      for (const step of steps) {
        const definition = registry.get(step.type);
        if (step.config) assert.ok(definition.config.safeParse(step.config).success, `${step.type} config ${JSON.stringify(step.config)}`);
        else assert.ok(step.needs && step.needs.length > 0, `${step.type} has neither a config nor needs`);
      }
      const skeleton = planPipeline(registry, from, to, steps);
      const result = validatePipeline(skeleton, registry);
      const label = `${from} -> ${to} via ${steps.map((step) => step.type).join(', ')}: ${JSON.stringify(result.problems)}`;
      if (steps.every((step) => !step.needs)) assert.equal(result.valid, true, label);
      else assert.ok(result.problems.every((problem) => problem.code === 'CONFIG_INVALID' || problem.code === 'BINDING_MISSING'), label);
    }
  }
  const [first] = planPaths(registry, 'image', 'documents');
  assert.deepEqual(first!.map((step) => step.config), [registry.get('ocr.tesseract').config.parse({}), { size: 800, overlap: 80 }]);
});

const chunkText = { id: 'chunk', type: 'chunk.text', inputs: [{ lane: 'text', from: 'in' }] };
const chunks = [{ lane: 'documents', from: 'chunk', as: 'chunks' }];

/** Broken pipelines a user trial produced, and a few more of the same kinds. */
const broken: Record<string, unknown> = {
  'source.text into a text reader': { version: 1, name: 'a', nodes: [{ id: 'in', type: 'source.text' }, chunkText], outputs: chunks },
  'source.text on the question lane into a text reader': {
    version: 1,
    name: 'b',
    nodes: [{ id: 'in', type: 'source.text', config: { maxChars: 5000 } }, { ...chunkText, inputs: [{ lane: 'question', from: 'in' }] }],
    outputs: chunks,
  },
  'an image into the chunker': { version: 1, name: 'c', nodes: [{ id: 'in', type: 'source.file' }, { ...chunkText, inputs: [{ lane: 'image', from: 'in' }] }], outputs: chunks },
  'a PDF-only source into the chunker': {
    version: 1,
    name: 'd',
    nodes: [{ id: 'in', type: 'source.file', config: { accept: ['application/pdf'] } }, { ...chunkText, inputs: [{ lane: 'file', from: 'in' }] }],
    outputs: chunks,
  },
  'a template emitting question into the chunker': {
    version: 1,
    name: 'e',
    nodes: [
      { id: 'in', type: 'source.text', config: { lane: 'text' } },
      { id: 'prompt', type: 'prompt.template', config: { template: 'Summary of {{text}}' }, inputs: [{ lane: 'text', from: 'in' }] },
      { ...chunkText, inputs: [{ lane: 'text', from: 'prompt' }] },
    ],
    outputs: chunks,
  },
  'typos in outputs, an edge, a type and a config key': {
    version: 1,
    name: 'f',
    nodes: [
      { id: 'in', type: 'source.file' },
      { id: 'ocr', type: 'ocr.tesseract', inputs: [{ lane: 'image', from: 'in' }] },
      { id: 'pii', type: 'pii.anonymise', inputs: [{ lane: 'text', from: 'orc' }] },
      { id: 'chunk', type: 'chunk.text', config: { sise: 400 }, inputs: [{ lane: 'text', from: 'ocr' }] },
    ],
    outputs: [{ lane: 'documents', from: 'chunks', as: 'chunks' }, { lane: 'txt', from: 'pii', as: 'text' }],
  },
  'a duplicated id beside a broken edge': {
    version: 1,
    name: 'g',
    nodes: [
      { id: 'in', type: 'source.file' },
      { id: 'ocr', type: 'ocr.tesseract', inputs: [{ lane: 'image', from: 'in' }] },
      { id: 'ocr', type: 'pii.anonymize', inputs: [{ lane: 'text', from: 'ocr' }] },
      { id: 'chunk', type: 'chunk.text', inputs: [{ lane: 'text', from: 'orc' }] },
    ],
    outputs: chunks,
  },
  'the chunker reading documents from OCR': {
    version: 1,
    name: 'h',
    nodes: [{ id: 'in', type: 'source.file' }, { id: 'ocr', type: 'ocr.tesseract', inputs: [{ lane: 'image', from: 'in' }] }, { ...chunkText, inputs: [{ lane: 'documents', from: 'ocr' }] }],
    outputs: chunks,
  },
};

const errorKeys = (problems: Problem[]) => problems.filter((problem) => problem.severity === 'error').map((problem) => `${problem.code} ${problem.path}`);

test('every fix the validator proposes, applied alone, removes its problem and adds no error', () => {
  let applied = 0;
  for (const [name, document] of Object.entries(broken)) {
    const before = validatePipeline(document, registry).problems;
    assert.ok(before.some((problem) => problem.severity === 'error'), `${name} is broken`);
    for (const problem of before.filter((entry) => entry.fix)) {
      const patched = jsonPatch.applyPatch(structuredClone(document), problem.fix!.patch as jsonPatch.Operation[], true).newDocument;
      const after = errorKeys(validatePipeline(patched, registry).problems);
      const label = `${name}: fix "${problem.fix!.summary}" of ${problem.code} at ${problem.path} left ${JSON.stringify(after)}`;
      assert.ok(!after.includes(`${problem.code} ${problem.path}`), label);
      const earlier = errorKeys(before);
      assert.deepEqual(after.filter((key) => !earlier.includes(key)), [], label);
      applied++;
    }
  }
  assert.ok(applied >= 10, `only ${applied} fixes applied`);
});

test('a pipeline with one mistake is valid after the first fix; the source.text fix sets its lane', () => {
  for (const name of ['source.text into a text reader', 'source.text on the question lane into a text reader', 'an image into the chunker', 'a PDF-only source into the chunker', 'a template emitting question into the chunker', 'the chunker reading documents from OCR']) {
    const document = broken[name];
    const errors = validatePipeline(document, registry).problems.filter((problem) => problem.severity === 'error');
    assert.ok(errors.length > 0 && errors.every((error) => error.path === errors[0]!.path), `${name}: ${JSON.stringify(errors)}`);
    const patched = jsonPatch.applyPatch(structuredClone(document), errors[0]!.fix!.patch as jsonPatch.Operation[], true).newDocument;
    const result = validatePipeline(patched, registry);
    assert.equal(result.valid, true, `${name}: ${JSON.stringify(result.problems)}`);
  }
  const [problem] = validatePipeline(broken['source.text into a text reader'], registry).problems;
  assert.deepEqual(problem!.fix!.patch, [{ op: 'add', path: '/nodes/0/config', value: { lane: 'text' } }]);
  const [template] = validatePipeline(broken['a template emitting question into the chunker'], registry).problems;
  assert.deepEqual(template!.fix!.patch, [{ op: 'add', path: '/nodes/1/config/as', value: 'text' }]);
});
