import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isPipelaneError, type PipelaneError } from '../../src/node-kit/index.js';
import { packageRoot } from '../../src/package-info.js';
import {
  getPrompt,
  loadPrompts,
  promptTextSchema,
  promptsDir,
  renderPrompt,
  resolveSystemPrompt,
  templateVariables,
} from '../../src/prompts/index.js';

function pipelaneError(code: string, check: (error: PipelaneError) => void = () => {}) {
  return (error: unknown) => {
    assert.ok(isPipelaneError(error), `expected a PipelaneError, got ${String(error)}`);
    assert.equal(error.code, code);
    check(error);
    return true;
  };
}

function withPromptsDir<T>(dir: string | undefined, fn: () => T): T {
  const previous = process.env.PIPELANE_PROMPTS_DIR;
  if (dir === undefined) delete process.env.PIPELANE_PROMPTS_DIR;
  else process.env.PIPELANE_PROMPTS_DIR = dir;
  try {
    return fn();
  } finally {
    if (previous === undefined) delete process.env.PIPELANE_PROMPTS_DIR;
    else process.env.PIPELANE_PROMPTS_DIR = previous;
  }
}

function folderWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pipelane-prompts-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

test('the built-in library holds the agent, judge and MCP prompts with their arguments', () => {
  withPromptsDir(undefined, () => {
    assert.equal(promptsDir(), join(packageRoot, 'prompts'));
    const prompts = loadPrompts();
    assert.deepEqual(prompts.map((prompt) => prompt.name), ['agent-system', 'build_pipeline', 'compare_agents', 'debug_run', 'judge']);
    const argumentsOf = Object.fromEntries(prompts.map((prompt) => [prompt.name, prompt.arguments.map((argument) => `${argument.name}${argument.required ? '!' : '?'}`)]));
    assert.deepEqual(argumentsOf, {
      'agent-system': [],
      build_pipeline: ['goal!'],
      compare_agents: ['task!', 'models!'],
      debug_run: ['runId!'],
      judge: ['question!', 'answer!'],
    });
    for (const prompt of prompts) assert.ok(prompt.description.length > 20, `${prompt.name} has a description`);
  });
});

test('every built-in prompt uses exactly the arguments it declares', () => {
  for (const prompt of withPromptsDir(undefined, () => loadPrompts())) {
    assert.deepEqual(templateVariables(prompt.template).sort(), prompt.arguments.map((argument) => argument.name).sort(), prompt.name);
  }
});

test('renderPrompt fills the arguments without HTML escaping', () => {
  const text = withPromptsDir(undefined, () => renderPrompt('judge', { question: 'Is 2 < 3 & "true"?', answer: "<b>Yes</b>, it's true" }));
  assert.ok(text.includes('Task:\nIs 2 < 3 & "true"?\n'), text);
  assert.ok(text.includes("Answer:\n<b>Yes</b>, it's true\n"), text);
  assert.ok(text.trimEnd().endsWith('{"score": <integer 0-10>, "reason": "<one sentence>"}'));
  assert.ok(!text.includes('{{'), 'no mustache tag left');
});

test('renderPrompt refuses a missing required argument and names an unknown one with the nearest', () => {
  withPromptsDir(undefined, () => {
    assert.throws(
      () => renderPrompt('judge', { question: 'q', answr: 'a' }),
      pipelaneError('PROMPT_ARGUMENTS_INVALID', (error) => {
        assert.match(error.message, /missing required answer/);
        assert.match(error.message, /unknown "answr" \(did you mean answer\?\)/);
        assert.match(error.hint, /takes: question, answer/);
      }),
    );
    assert.throws(() => renderPrompt('debug_run', { runId: '' }), pipelaneError('PROMPT_ARGUMENTS_INVALID'));
  });
});

test('an unknown prompt is PROMPT_NOT_FOUND listing the nearest names', () => {
  withPromptsDir(undefined, () => {
    assert.throws(
      () => getPrompt('judje'),
      pipelaneError('PROMPT_NOT_FOUND', (error) => {
        assert.match(error.message, /No prompt "judje" in .*prompts\. Nearest: judge\./);
        assert.deepEqual(error.details?.nearest, ['judge']);
        assert.match(error.hint, /agent-system, build_pipeline, compare_agents, debug_run, judge/);
      }),
    );
  });
});

test('a prompt name cannot leave the prompts folder', () => {
  const outside = folderWith({ 'secret.md': '---\ndescription: outside the folder\n---\nsecret' });
  const inside = join(outside, 'inside');
  mkdirSync(inside);
  writeFileSync(join(inside, 'ok.md'), '---\ndescription: inside the folder\n---\nok');
  assert.equal(getPrompt('ok', inside).template, 'ok');
  assert.throws(() => getPrompt('../secret', inside), pipelaneError('PROMPT_NOT_FOUND'));
  assert.throws(() => resolveSystemPrompt('prompt:../secret', inside), pipelaneError('PROMPT_NOT_FOUND'));
});

test('resolveSystemPrompt loads prompt:<name> and keeps any other text literal', () => {
  withPromptsDir(undefined, () => {
    assert.match(resolveSystemPrompt('prompt:agent-system'), /^You are a careful assistant that can call tools\./);
    assert.equal(resolveSystemPrompt('Answer in French. {{not a template}}'), 'Answer in French. {{not a template}}');
    assert.throws(() => resolveSystemPrompt('prompt:judge'), pipelaneError('PROMPT_ARGUMENTS_INVALID'));
  });
});

test('PIPELANE_PROMPTS_DIR replaces the built-in folder', () => {
  const dir = folderWith({
    'greet.md': '---\ndescription: Greets someone\narguments:\n  - name: who\n    description: Who to greet\n    required: true\n---\nHello {{who}}!',
    'notes.txt': 'not a prompt',
  });
  withPromptsDir(dir, () => {
    assert.equal(promptsDir(), dir);
    assert.deepEqual(loadPrompts().map((prompt) => prompt.name), ['greet']);
    assert.equal(renderPrompt('greet', { who: 'Ada' }), 'Hello Ada!');
    assert.throws(() => getPrompt('judge'), pipelaneError('PROMPT_NOT_FOUND', (error) => assert.match(error.hint, /Use one of: greet\b/)));
  });
  withPromptsDir(join(dir, 'missing'), () => {
    assert.throws(() => loadPrompts(), pipelaneError('PROMPTS_DIR_NOT_FOUND', (error) => assert.match(error.message, /missing does not exist/)));
  });
});

test('a malformed prompt file is PROMPT_INVALID naming the file and what is wrong', () => {
  const dir = folderWith({
    'no-description.md': '---\narguments:\n  - name: x\n    description: y\n---\ntext {{x}}',
    'bad-line.md': '---\ndescription: ok\n  oops: indented\n---\ntext',
    'empty.md': '---\ndescription: nothing below\n---\n',
    'broken.md': '---\ndescription: unclosed section\n---\n{{#context}} {{text}}',
  });
  assert.throws(() => getPrompt('no-description', dir), pipelaneError('PROMPT_INVALID', (error) => assert.match(error.message, /no-description\.md has invalid front matter: description: /)));
  assert.throws(() => getPrompt('bad-line', dir), pipelaneError('PROMPT_INVALID', (error) => assert.match(error.message, /bad-line\.md, front matter line 3: unexpected indentation/)));
  assert.throws(() => getPrompt('empty', dir), pipelaneError('PROMPT_INVALID', (error) => assert.match(error.message, /no text after its front matter/)));
  assert.throws(() => getPrompt('broken', dir), pipelaneError('PROMPT_INVALID', (error) => assert.match(error.message, /broken\.md is not a valid mustache template: Unclosed section "context"/)));
  assert.throws(() => loadPrompts(dir), pipelaneError('PROMPT_INVALID'));
});

test('promptTextSchema accepts literal text and known prompts, and fails a config naming a missing one', () => {
  const schema = promptTextSchema('System prompt');
  withPromptsDir(undefined, () => {
    assert.equal(schema.parse('Be brief.'), 'Be brief.');
    assert.equal(schema.parse('prompt:agent-system'), 'prompt:agent-system');
    const result = schema.safeParse('prompt:agent-sytem');
    assert.equal(result.success, false);
    assert.match(result.error!.issues[0]!.message, /No prompt "agent-sytem" .*Nearest: agent-system/);
  });
});
