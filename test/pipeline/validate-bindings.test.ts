import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsonPatch from 'fast-json-patch';
import { createPipelineLibrary, validatePipeline } from '../../src/pipeline/index.js';
import type { Problem } from '../../src/node-kit/index.js';
import { agentPipeline, registry } from '../engine/binding-fixtures.js';

function problems(document: unknown, options = {}): Problem[] {
  return validatePipeline(document, registry, options).problems;
}

function applyFix(document: unknown, problem: Problem): unknown {
  assert.ok(problem.fix, `${problem.code} has a fix`);
  return jsonPatch.applyPatch(structuredClone(document), problem.fix.patch as never).newDocument;
}

test('a pipeline whose model and tool nodes are bound only through uses is valid, without missing-input or unused warnings', () => {
  assert.deepEqual(problems(agentPipeline()), []);
});

test('BINDING_MISSING: an agent without its llm, with a fix binding the only model node', () => {
  const document = agentPipeline({ tools: ['up'] });
  const [problem, ...rest] = problems(document);
  // The model node nobody binds yet is a warning, not a missing input.
  assert.deepEqual(rest.map((entry) => [entry.code, entry.severity, entry.path, entry.message]), [
    ['UNUSED_NODE', 'warning', '/nodes/2', 'Node "gpt" can serve as a model, but no node binds it.'],
  ]);
  assert.equal(problem?.code, 'BINDING_MISSING');
  assert.equal(problem?.path, '/nodes/1/uses/llm');
  assert.match(problem!.message, /"agent" \(agent\.fake\) needs a "llm" binding.*gpt/);
  assert.deepEqual(problems(applyFix(document, problem!)), []);
});

test('BINDING_MISSING without any uses adds the whole object; no fix when two model nodes could serve', () => {
  const document = agentPipeline(undefined);
  delete (document.nodes as Array<Record<string, unknown>>)[1]!.uses;
  const missing = problems(document).find((entry) => entry.code === 'BINDING_MISSING')!;
  assert.deepEqual(missing.fix?.patch, [{ op: 'add', path: '/nodes/1/uses', value: { llm: 'gpt' } }]);
  (document.nodes as unknown[]).push({ id: 'claude', type: 'model.fake' });
  const ambiguous = problems(document).find((entry) => entry.code === 'BINDING_MISSING')!;
  assert.equal(ambiguous.fix, undefined);
  assert.match(ambiguous.message, /gpt, claude/);
});

test('BINDING_UNKNOWN_TARGET names the nearest ids and fixes to the nearest', () => {
  const document = agentPipeline({ llm: 'gtp', tools: ['up', 'upp'] });
  const found = problems(document);
  assert.deepEqual(found.map((entry) => [entry.code, entry.path]), [
    ['BINDING_UNKNOWN_TARGET', '/nodes/1/uses/llm'],
    ['BINDING_UNKNOWN_TARGET', '/nodes/1/uses/tools/1'],
    ['UNUSED_NODE', '/nodes/2'],
  ]);
  assert.match(found[0]!.message, /"gtp".*nearest: gpt/);
  assert.match(found[1]!.message, /nearest: up/);
  assert.deepEqual(found[0]!.fix?.patch, [{ op: 'replace', path: '/nodes/1/uses/llm', value: 'gpt' }]);
});

test('BINDING_KIND_MISMATCH: an llm binding to a node without a language model', () => {
  const [problem, ...rest] = problems(agentPipeline({ llm: 'up', tools: [] }));
  assert.equal(problem?.code, 'BINDING_KIND_MISMATCH');
  assert.equal(problem?.path, '/nodes/1/uses/llm');
  assert.match(problem!.message, /transform\.upper cannot serve as a model \(nodes that can: gpt\)/);
  assert.deepEqual(problem!.fix?.patch, [{ op: 'replace', path: '/nodes/1/uses/llm', value: 'gpt' }]);
  assert.deepEqual(rest.map((entry) => [entry.code, entry.severity]), [['UNUSED_NODE', 'warning']]);
});

test('BINDING_TOO_MANY: two models for one llm binding, fixed by removing the extra', () => {
  const document = agentPipeline({ llm: ['gpt', 'claude'], tools: ['up'] });
  (document.nodes as unknown[]).push({ id: 'claude', type: 'model.fake' });
  const [problem, ...rest] = problems(document);
  assert.deepEqual(rest, []);
  assert.equal(problem?.code, 'BINDING_TOO_MANY');
  assert.equal(problem?.path, '/nodes/1/uses/llm/1');
  const fixed = applyFix(document, problem!);
  assert.deepEqual((fixed as { nodes: Array<{ uses?: unknown }> }).nodes[1]!.uses, { llm: ['gpt'], tools: ['up'] });
});

test('UNKNOWN_BINDING lists the declared bindings and renames to the nearest', () => {
  const document = agentPipeline({ llm: 'gpt', tool: ['up'] });
  const [problem, ...rest] = problems(document);
  assert.deepEqual(rest, []);
  assert.equal(problem?.code, 'UNKNOWN_BINDING');
  assert.equal(problem?.path, '/nodes/1/uses/tool');
  assert.match(problem!.message, /declared: llm, tools/);
  assert.deepEqual(problems(applyFix(document, problem!)), []);
});

test('uses on a node type that binds nothing is UNKNOWN_BINDING with a removal fix', () => {
  const document = agentPipeline();
  (document.nodes as Array<Record<string, unknown>>)[3]!.uses = { llm: 'gpt' };
  const problem = problems(document).find((entry) => entry.code === 'UNKNOWN_BINDING')!;
  assert.equal(problem.path, '/nodes/3/uses/llm');
  assert.match(problem.message, /declared: none/);
  assert.deepEqual(problem.fix?.patch, [{ op: 'remove', path: '/nodes/3/uses/llm' }]);
});

test('pipe:<name> is checked only against a given library, with the nearest saved name', async () => {
  const workspace = mkdtempSync(join(tmpdir(), 'pipelane-validate-'));
  try {
    const library = createPipelineLibrary(join(workspace, 'pipelines'));
    await library.save('invoice-ocr', { version: 1, name: 'invoice-ocr', nodes: [], outputs: [] });
    const document = agentPipeline({ llm: 'gpt', tools: ['up', 'pipe:invoice-orc'] });
    assert.deepEqual(problems(document), [], 'not checked without a library');
    const [problem, ...rest] = problems(document, { pipelines: library });
    assert.deepEqual(rest, []);
    assert.equal(problem?.code, 'BINDING_UNKNOWN_TARGET');
    assert.equal(problem?.path, '/nodes/1/uses/tools/1');
    assert.match(problem!.message, /pipelines\/invoice-orc\.pipe\.json.*nearest: invoice-ocr/);
    assert.deepEqual(problems(applyFix(document, problem!), { pipelines: library }), []);
    const asModel = problems(agentPipeline({ llm: 'pipe:invoice-ocr' }), { pipelines: library });
    assert.equal(asModel.find((entry) => entry.path === '/nodes/1/uses/llm')?.code, 'BINDING_KIND_MISMATCH');
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
});

test('a node bound as a tool that also sits in the data flow is checked as usual', () => {
  const document = agentPipeline();
  (document.nodes as Array<Record<string, unknown>>)[3]!.inputs = [{ lane: 'text', from: 'nowhere' }];
  assert.deepEqual(problems(document).map((entry) => entry.code), ['UNKNOWN_NODE_REFERENCE']);
});
