import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import sharp from 'sharp';
import { characterErrorRate } from '../helpers/cer.js';
import { connectStdio, makeWorkspace, repoRoot } from './stdio-server.js';

const PIPELINE = 'pipelines/scan-to-redacted-chunks.pipe.json';
const EMAIL = 'jane.doe@example.com';
const CALL_OPTIONS = { timeout: 180_000 };

let workspace: { root: string; remove(): Promise<void> };
let server: Awaited<ReturnType<typeof connectStdio>>;
let client: Client;
let pipelineDocument: Record<string, unknown>;

before(async () => {
  workspace = await makeWorkspace([
    { from: 'test/fixtures/ocr/phototest.tif', to: 'phototest.tif' },
    { from: PIPELINE, to: PIPELINE },
  ]);
  pipelineDocument = JSON.parse(await readFile(join(repoRoot, PIPELINE), 'utf8')) as Record<string, unknown>;
  await makeBadInputs(workspace.root);
  server = await connectStdio(workspace.root);
  client = server.client;
});

after(async () => {
  await server?.close();
  await workspace?.remove();
});

/**
 * phototest.tif holds no personal data, so the redaction checks use the same page with an e-mail line
 * drawn into its empty lower part; the bad inputs are written next to it.
 */
async function makeBadInputs(root: string): Promise<void> {
  const line = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="60"><rect width="640" height="60" fill="white"/><text x="36" y="40" font-family="DejaVu Sans, Arial, sans-serif" font-size="26" fill="black">Contact: ${EMAIL}</text></svg>`;
  const page = await sharp(join(root, 'phototest.tif')).composite([{ input: Buffer.from(line), top: 380, left: 0 }]).flatten({ background: '#ffffff' }).png().toBuffer();
  await writeFile(join(root, 'phototest-email.png'), page);
  await writeFile(join(root, 'truncated.png'), page.subarray(0, Math.floor(page.length / 3)));
  await writeFile(join(root, 'tiny.pdf'), '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
  await writeFile(join(root, 'notes.txt'), 'Plain text, not a scan.\n');
  await writeFile(join(root, 'empty.png'), '');
}

async function call(name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args }, undefined, CALL_OPTIONS)) as CallToolResult;
}

function content(result: CallToolResult): Record<string, any> {
  return (result.structuredContent ?? {}) as Record<string, any>;
}

async function runOcr(input: string): Promise<CallToolResult> {
  return call('run_pipeline', { path: PIPELINE, input });
}

function assertTypedError(result: CallToolResult, codes: string[]): Record<string, any> {
  assert.equal(result.isError, true, JSON.stringify(result.structuredContent));
  const error = content(result);
  assert.ok(codes.includes(error.code), `code ${error.code} not in ${codes.join(', ')}: ${error.message}`);
  assert.ok(typeof error.hint === 'string' && error.hint.length > 0, 'the error has a hint');
  return error;
}

async function assertNextRunSucceeds(): Promise<void> {
  const result = await runOcr('phototest.tif');
  assert.equal(content(result).status, 'succeeded', JSON.stringify(content(result)));
}

test('the stdio server lists the Pipelane tools', async () => {
  const names = (await client.listTools()).tools.map((tool) => tool.name).sort();
  // The pipeline tools; agent tools (run_agent, ...) are listed too and tested elsewhere.
  const expected = ['delete_pipeline', 'describe_node', 'get_pipeline', 'get_run', 'list_lanes', 'list_nodes', 'list_pipelines', 'plan_path', 'query_traces', 'run_pipeline', 'save_pipeline', 'validate_pipeline'];
  assert.deepEqual(names.filter((name) => expected.includes(name)), expected);
  const version = client.getServerVersion();
  assert.equal(version?.name, 'pipelane');
});

test('validate_pipeline returns three different mistakes in one answer', async () => {
  const broken = structuredClone(pipelineDocument) as { nodes: Array<Record<string, any>> };
  broken.nodes[1]!.type = 'ocr.tesserect';
  broken.nodes[2]!.inputs = [{ lane: 'text', from: 'orc' }];
  broken.nodes[3]!.config = { size: 'big', overlap: 40 };
  const result = await call('validate_pipeline', { pipeline: broken });
  assert.equal(result.isError, undefined);
  const { valid, problems } = content(result) as { valid: boolean; problems: Array<{ code: string; severity: string; path: string; hint: string }> };
  assert.equal(valid, false);
  const errors = problems.filter((problem) => problem.severity === 'error');
  assert.deepEqual(errors.map((problem) => problem.code).sort(), ['CONFIG_INVALID', 'UNKNOWN_NODE_REFERENCE', 'UNKNOWN_NODE_TYPE'], JSON.stringify(errors));
  const byCode = new Map(errors.map((problem) => [problem.code, problem]));
  assert.equal(byCode.get('UNKNOWN_NODE_TYPE')!.path, '/nodes/1/type');
  assert.match(byCode.get('UNKNOWN_NODE_TYPE')!.hint, /ocr\.tesseract/);
  assert.equal(byCode.get('UNKNOWN_NODE_REFERENCE')!.path, '/nodes/2/inputs/0/from');
  assert.equal(byCode.get('CONFIG_INVALID')!.path, '/nodes/3/config/size');
});

test('OCR -> PII -> chunk on phototest.tif: CER <= 1% and one span per node', async () => {
  const result = await runOcr('phototest.tif');
  const run = content(result);
  assert.equal(run.status, 'succeeded', JSON.stringify(run));
  const entities = run.outputs.entities as Array<{ text: string; entities: unknown[] }>;
  assert.equal(entities.length, 1);
  const expected = await readFile(join(repoRoot, 'test/fixtures/ocr/phototest.txt'), 'utf8');
  const cer = characterErrorRate(entities[0]!.text, expected);
  assert.ok(cer <= 0.01, `CER ${cer.toFixed(4)} > 0.01:\n${entities[0]!.text}`);
  assert.ok((run.outputs.chunks as unknown[][]).flat().length >= 1);

  const spans = content(await call('query_traces', { runId: run.runId })).spans as Array<{ nodeId: string; status: string }>;
  assert.equal(spans.length, 4, JSON.stringify(spans));
  assert.deepEqual(spans.map((span) => span.nodeId).sort(), ['chunk', 'in', 'ocr', 'pii']);
  assert.ok(spans.every((span) => span.status === 'ok'));
});

test('the e-mail on a scanned page is found, and the chunks carry <EMAIL_ADDRESS> instead of it', async () => {
  const run = content(await runOcr('phototest-email.png'));
  assert.equal(run.status, 'succeeded', JSON.stringify(run));
  const [found] = run.outputs.entities as Array<{ text: string; entities: Array<{ type: string; start: number; end: number }> }>;
  const emails = found!.entities.filter((entity) => entity.type === 'EMAIL_ADDRESS').map((entity) => found!.text.slice(entity.start, entity.end));
  assert.deepEqual(emails, [EMAIL], found!.text);
  const chunkText = (run.outputs.chunks as Array<Array<{ text: string }>>).flat().map((chunk) => chunk.text).join('\n');
  assert.ok(chunkText.includes('<EMAIL_ADDRESS>'), chunkText);
  assert.ok(!chunkText.includes(EMAIL), 'the address must not survive in the chunks');
  assert.ok(!chunkText.includes('jane.doe'), 'no part of the address survives');
});

test('a PDF given to the OCR pipeline is an in-band INPUT_TYPE_NOT_ACCEPTED; the next run succeeds', async () => {
  const error = assertTypedError(await runOcr('tiny.pdf'), ['INPUT_TYPE_NOT_ACCEPTED']);
  assert.match(error.message, /application\/pdf/);
  await assertNextRunSucceeds();
});

test('a text file given to the OCR pipeline is an in-band INPUT_TYPE_NOT_ACCEPTED; the next run succeeds', async () => {
  const error = assertTypedError(await runOcr('notes.txt'), ['INPUT_TYPE_NOT_ACCEPTED']);
  assert.match(error.message, /text\/plain/);
  await assertNextRunSucceeds();
});

test('a zero-byte file is an in-band INPUT_EMPTY; the next run succeeds', async () => {
  assertTypedError(await runOcr('empty.png'), ['INPUT_EMPTY']);
  await assertNextRunSucceeds();
});

test('a truncated PNG is an in-band OCR_IMAGE_UNREADABLE; the next run succeeds', async () => {
  const error = assertTypedError(await runOcr('truncated.png'), ['OCR_IMAGE_UNREADABLE']);
  assert.equal(content(await call('get_run', { runId: error.runId })).run.status, 'failed');
  await assertNextRunSucceeds();
});

test('an unknown node type is an in-band PIPELINE_INVALID naming the nearest type; the next run succeeds', async () => {
  const pipeline = structuredClone(pipelineDocument) as { nodes: Array<Record<string, any>> };
  pipeline.nodes[3]!.type = 'chunk.txt';
  const error = assertTypedError(await call('run_pipeline', { pipeline, input: 'phototest.tif' }), ['PIPELINE_INVALID']);
  const unknown = (error.problems as Array<{ code: string; hint: string }>).find((problem) => problem.code === 'UNKNOWN_NODE_TYPE');
  assert.ok(unknown, JSON.stringify(error.problems));
  assert.match(unknown.hint, /chunk\.text/);
  await assertNextRunSucceeds();
});

test('a pipeline with a cycle is an in-band PIPELINE_INVALID with a CYCLE problem; the next run succeeds', async () => {
  const pipeline = structuredClone(pipelineDocument) as { nodes: Array<Record<string, any>> };
  pipeline.nodes.push({ id: 'pii2', type: 'pii.anonymize', inputs: [{ lane: 'text', from: 'pii' }] });
  pipeline.nodes[2]!.inputs = [...pipeline.nodes[2]!.inputs, { lane: 'text', from: 'pii2' }];
  const error = assertTypedError(await call('run_pipeline', { pipeline, input: 'phototest.tif' }), ['PIPELINE_INVALID']);
  assert.ok((error.problems as Array<{ code: string }>).some((problem) => problem.code === 'CYCLE'), JSON.stringify(error.problems));
  await assertNextRunSucceeds();
});

test('an input path outside the workspace is an in-band PATH_OUTSIDE_WORKSPACE over stdio', async () => {
  const error = assertTypedError(await runOcr('../../etc/passwd'), ['PATH_OUTSIDE_WORKSPACE']);
  assert.match(error.hint, /PIPELANE_WORKSPACE/);
  await assertNextRunSucceeds();
});
