import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { AGENT_FRAMEWORK_IDS } from '../../src/agent-kit/index.js';
import type { LlmDoubleRequest, Reply } from '../doubles/llm-double-kit.js';
import { modelFor, startAgentsApp, structured, type AgentsApp } from './agents-app.js';

/**
 * Issue 5 acceptance: 30 concurrent chats over all four frameworks, each about a different animal.
 * The scripted model reads the animal from the user message, asks chunk_text about it, and answers
 * with the animal named in the tool result, so a chat that received another chat's request, tool
 * result or span would show a foreign animal somewhere.
 */

// No name is part of another, nor of a word the prompts or tool descriptions use.
const ANIMALS = [
  'aardvark', 'albatross', 'alpaca', 'armadillo', 'axolotl', 'baboon', 'barracuda', 'bison', 'capybara', 'caribou',
  'chameleon', 'cheetah', 'chinchilla', 'cormorant', 'coyote', 'dingo', 'dugong', 'echidna', 'flamingo', 'gazelle',
  'gecko', 'gorilla', 'hedgehog', 'iguana', 'jackal', 'kangaroo', 'meerkat', 'narwhal', 'pangolin', 'platypus',
];

function animalIn(text: string): string | undefined {
  return ANIMALS.find((animal) => text.includes(animal));
}

/** Variable delays so the 30 conversations interleave at the doubles. */
function script(request: LlmDoubleRequest): Reply {
  const asked = animalIn(request.lastUserText);
  if (asked === undefined) return { text: 'No animal in the question.' };
  const delayMs = (ANIMALS.indexOf(asked) % 7) * 15;
  const chunks = request.toolResults.chunk_text;
  if (chunks === undefined) return { delayMs, toolCalls: [{ name: 'chunk_text', arguments: { text: `Field notes: the ${asked} was seen at dawn.` } }] };
  return { delayMs, text: `The ${animalIn(chunks) ?? 'unknown'} was seen at dawn (asked about the ${asked}).` };
}

let app: AgentsApp;
before(async () => {
  app = await startAgentsApp(script);
});
after(async () => {
  await app.close();
  await app.remove();
});

test('30 concurrent chats over four frameworks: every answer and every span mentions only its own animal', async () => {
  const chats = ANIMALS.map((animal, index) => ({ animal, framework: AGENT_FRAMEWORK_IDS[index % AGENT_FRAMEWORK_IDS.length]! }));
  const results = await Promise.all(
    chats.map(({ animal, framework }) =>
      app.call('run_agent', { question: `Tell me what the field notes say about the ${animal}.`, framework, ...modelFor(app, framework), tools: ['chunk.text'], maxSteps: 4 }),
    ),
  );
  assert.equal(app.openai.requests.length + app.anthropic.requests.length, 60, 'two model calls per chat');
  const runIds = new Set<string>();
  for (const [index, result] of results.entries()) {
    const { animal, framework } = chats[index]!;
    const record = structured(result);
    assert.equal(result.isError, undefined, `${framework}/${animal}: ${JSON.stringify(record)}`);
    assert.equal(record.answer, `The ${animal} was seen at dawn (asked about the ${animal}).`);
    assert.equal(record.framework, framework);
    runIds.add(String(record.runId));

    const spans = app.spans(String(record.runId));
    assert.deepEqual(spans.map((span) => span.kind).filter((kind) => kind !== 'node').sort(), ['agent-step', 'llm', 'llm', 'tool'], `${animal}: ${spans.map((span) => span.kind)}`);
    for (const span of spans) {
      const shown = JSON.stringify({ input: span.inputPreview, output: span.outputPreview, attributes: span.attributes, error: span.error });
      const foreign = ANIMALS.filter((other) => other !== animal && shown.includes(other));
      assert.deepEqual(foreign, [], `${framework}/${animal}: span ${span.kind} ${span.nodeId} mentions ${foreign.join(', ')}`);
    }
    // Its own animal really is in what the spans recorded (the check above is not vacuous).
    assert.ok(spans.filter((span) => span.kind === 'llm' || span.kind === 'tool').every((span) => JSON.stringify(span).includes(animal)), `${animal} missing from its spans`);
  }
  assert.equal(runIds.size, 30);
  // The chats really overlapped: at the busiest moment many runs were in flight together.
  const intervals = [...runIds].map((runId) => app.traceStore.getRun(runId)!).map((run) => [Date.parse(run.startedAt), Date.parse(run.endedAt!)] as const);
  const busiest = Math.max(...intervals.map(([start]) => intervals.filter(([from, to]) => from <= start && start < to).length));
  assert.ok(busiest >= 10, `at most ${busiest} chats ran at once`);
  // The doubles saw every conversation whole: each request holds one animal only.
  for (const request of [...app.openai.requests, ...app.anthropic.requests]) {
    assert.equal(ANIMALS.filter((animal) => request.allText.includes(animal)).length, 1, request.allText);
  }
});
