import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Ajv } from 'ajv';
import { linesPipeline, startHarness, type Harness } from './harness.js';

let harness: Harness;
let tools: Array<{ name: string; description?: string; inputSchema: Record<string, unknown>; outputSchema?: Record<string, unknown>; annotations?: Record<string, unknown> }>;
before(async () => {
  harness = await startHarness();
  // Pipeline-derived tools are linted too: one exposed pipeline per kind of input (text, file path).
  await harness.call('save_pipeline', { pipeline: { ...linesPipeline(), name: 'lint-text', expose: true } });
  await harness.call('save_pipeline', {
    pipeline: { version: 1, name: 'lint-file', expose: true, nodes: [{ id: 'in', type: 'source.file' }], outputs: [{ lane: 'file', from: 'in', as: 'file' }] },
  });
  tools = (await harness.client.listTools()).tools as typeof tools;
});
after(async () => harness.close());

/** Every object schema inside `schema` (properties, items, additionalProperties), with its JSON path. */
function* objectSchemas(schema: unknown, path = '#'): Generator<[string, Record<string, unknown>]> {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return;
  const node = schema as Record<string, unknown>;
  yield [path, node];
  for (const [name, child] of Object.entries((node.properties as Record<string, unknown>) ?? {})) yield* objectSchemas(child, `${path}/properties/${name}`);
  if (node.items) yield* objectSchemas(node.items, `${path}/items`);
  if (node.additionalProperties && typeof node.additionalProperties === 'object') yield* objectSchemas(node.additionalProperties, `${path}/additionalProperties`);
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const children = (node[key] as unknown[] | undefined) ?? [];
    for (const [index, child] of children.entries()) yield* objectSchemas(child, `${path}/${key}/${index}`);
  }
}

function lint(tool: string, kind: string, schema: Record<string, unknown> | undefined): string[] {
  const problems: string[] = [];
  const where = `${tool} ${kind}`;
  if (!schema) return [`${where}: missing`];
  if (schema.type !== 'object') problems.push(`${where}: root type is ${String(schema.type)}, not object`);
  for (const key of ['oneOf', 'anyOf', 'allOf', 'not']) if (key in schema) problems.push(`${where}: top-level ${key}`);
  if (JSON.stringify(schema).includes('"$ref"')) problems.push(`${where}: contains $ref`);
  try {
    new Ajv({ strict: true, allErrors: true }).compile(schema);
  } catch (error) {
    problems.push(`${where}: ajv strict: ${(error as Error).message}`);
  }
  for (const [path, node] of objectSchemas(schema)) {
    const properties = Object.keys((node.properties as Record<string, unknown>) ?? {});
    for (const name of properties) if (name.length > 64 || !/^[A-Za-z0-9_.-]+$/.test(name)) problems.push(`${where}: bad property name ${path}/${name}`);
    if (node.required !== undefined) {
      if (!Array.isArray(node.required)) problems.push(`${where}: ${path}/required is not an array`);
      else for (const name of node.required) if (!properties.includes(name)) problems.push(`${where}: ${path} requires undeclared ${name}`);
    }
  }
  return problems;
}

test('every tool has object-rooted input and output schemas that compile under ajv strict mode', () => {
  assert.ok(tools.length >= 14);
  for (const name of ['pipe_lint_text', 'pipe_lint_file']) assert.ok(tools.some((tool) => tool.name === name), `${name} is linted`);
  const problems = tools.flatMap((tool) => [...lint(tool.name, 'inputSchema', tool.inputSchema), ...lint(tool.name, 'outputSchema', tool.outputSchema)]);
  assert.deepEqual(problems, []);
});

test('the lint itself catches top-level unions, $ref, undeclared required names, long names and non-object roots', () => {
  assert.equal(lint('t', 'in', { type: 'object', anyOf: [{ type: 'object' }] }).length > 0, true);
  assert.equal(lint('t', 'in', { type: 'object', properties: { a: { $ref: '#/definitions/a' } } }).length > 0, true);
  assert.equal(lint('t', 'in', { type: 'object', properties: { x: { type: 'object', properties: {}, required: ['b'] } } }).length > 0, true);
  assert.equal(lint('t', 'in', { type: 'object', properties: { ['n'.repeat(65)]: { type: 'string' } } }).length > 0, true);
  assert.equal(lint('t', 'in', { type: 'array', items: {} }).length > 0, true);
  assert.deepEqual(lint('t', 'in', { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }), []);
});

test('a zero-argument tool publishes {"type":"object","properties":{}}', () => {
  const zeroArgument = tools.filter((tool) => Object.keys((tool.inputSchema.properties as object) ?? {}).length === 0);
  assert.deepEqual(zeroArgument.map((tool) => tool.name).sort(), ['list_lanes', 'list_pipelines']);
  for (const tool of zeroArgument) {
    const { $schema: _ignored, ...rest } = tool.inputSchema;
    assert.deepEqual(rest, { type: 'object', properties: {} });
  }
});

test('every output schema accepts the in-band error shape, so clients can validate isError results', () => {
  const error = { code: 'X', message: 'm', hint: 'h', path: '/p', problems: [{ code: 'P', severity: 'error', path: '/nodes/0', message: 'm', hint: 'h' }] };
  for (const tool of tools) {
    const validate = new Ajv({ strict: false }).compile(tool.outputSchema!);
    assert.ok(validate(error), `${tool.name}: ${JSON.stringify(validate.errors)}`);
  }
});

test('every tool has a title, a description that says what comes back, and annotations', () => {
  for (const tool of tools) {
    assert.ok((tool.description ?? '').length >= 120, `${tool.name}: description too short`);
    assert.match(tool.description ?? '', /Returns|returns/, `${tool.name}: description does not say what comes back`);
    assert.equal(typeof tool.annotations?.readOnlyHint, 'boolean', `${tool.name}: no readOnlyHint`);
    assert.match(tool.name, /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/, `${tool.name}: not snake_case`);
    assert.ok(tool.name.length <= 64, `${tool.name}: longer than 64 characters`);
  }
});
