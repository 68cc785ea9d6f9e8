import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderTemplate, templateSyntaxError, templateVariables } from '../../src/prompts/index.js';

test('renderTemplate names the variables it could not fill', () => {
  const { text, missing } = renderTemplate('Hi {{name}}, page {{meta.page}} of {{{meta.source}}} {{&tone}}.', { name: 'Ada', meta: { source: 'a.pdf' } });
  assert.equal(text, 'Hi Ada, page  of a.pdf .');
  assert.deepEqual(missing, ['meta.page', 'tone']);
});

test('values are not HTML-escaped; objects render as JSON, numbers and booleans as written', () => {
  const { text, missing } = renderTemplate('{{html}} | {{meta}} | {{count}} | {{flag}} | {{list}}', {
    html: '<a href="x">&</a>',
    meta: { page: 2 },
    count: 0,
    flag: false,
    list: [1, 'two'],
  });
  assert.equal(text, '<a href="x">&</a> | {"page":2} | 0 | false | [1,"two"]');
  assert.deepEqual(missing, []);
});

test('a section over an absent value is a conditional, not a missing variable', () => {
  const view = { context: [{ n: 1, text: 'alpha' }, { n: 2, text: 'beta', source: 's.txt' }] };
  const { text, missing } = renderTemplate('{{#context}}[{{n}}] {{text}} ({{source}})\n{{/context}}{{^history}}no history{{/history}}{{#extra}}{{x}}{{/extra}}', view);
  assert.equal(text, '[1] alpha ()\n[2] beta (s.txt)\nno history');
  assert.deepEqual(missing, ['source']);
});

test('two renders share nothing: each reports only its own missing names', () => {
  assert.deepEqual(renderTemplate('{{a}}', {}).missing, ['a']);
  assert.deepEqual(renderTemplate('{{b}}', {}).missing, ['b']);
});

test('templateSyntaxError reports an unclosed section and passes a good template', () => {
  assert.match(templateSyntaxError('{{#context}} {{text}}') ?? '', /Unclosed section "context"/);
  assert.equal(templateSyntaxError('{{#context}}{{text}}{{/context}}'), undefined);
});

test('templateVariables lists top-level names, not the fields of a section\'s items', () => {
  assert.deepEqual(templateVariables('{{goal}} {{{runId}}} {{#context}}{{text}}{{/context}} {{^history}}{{question}}{{/history}} {{meta.source}}').sort(), [
    'context',
    'goal',
    'history',
    'meta',
    'question',
    'runId',
  ]);
});
