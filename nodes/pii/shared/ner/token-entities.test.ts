import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tokensToMatches, type ClassifiedToken } from './token-entities.js';
import { textWindows } from './transformer-ner.js';

/** Tokens as transformers.js returns them: decoded pieces, labels, no offsets. */
const tokens = (...rows: Array<[string, string, number?]>): ClassifiedToken[] =>
  rows.map(([word, entity, score = 0.9], index) => ({ word, entity, score, index: index + 1 }));

const spans = (text: string, classified: ClassifiedToken[]) =>
  tokensToMatches(text, classified).map((match) => [match.type, match.text, text.slice(match.start, match.end) === match.text]);

test('BIO labels of a cased WordPiece model become spans, word pieces joined', () => {
  const text = 'Taewoong Kim lives in New York and works at Microsoft.';
  const classified = tokens(
    ['Tae', 'B-PER'], ['##woong', 'I-PER'], ['Kim', 'I-PER'], ['lives', 'O'], ['in', 'O'],
    ['New', 'B-LOC'], ['York', 'I-LOC'], ['and', 'O'], ['works', 'O'], ['at', 'O'], ['Micro', 'B-ORG'], ['##soft', 'O'], ['.', 'O'],
  );
  assert.deepEqual(spans(text, classified), [
    ['PERSON', 'Taewoong Kim', true],
    ['LOCATION', 'New York', true],
    ['ORGANIZATION', 'Microsoft', true],
  ]);
});

test('an uncased model\'s lower-cased, accent-stripped pieces map back to the original characters', () => {
  const text = '👋 Zoë Müller-Lüdenscheidt\r\nmet José';
  const classified = tokens(['zoe', 'B-PER'], ['muller', 'I-PER'], ['-', 'I-PER'], ['ludenscheidt', 'I-PER'], ['met', 'O'], ['jose', 'B-PER']);
  assert.deepEqual(spans(text, classified), [
    ['PERSON', 'Zoë Müller-Lüdenscheidt', true],
    ['PERSON', 'José', true],
  ]);
});

test('a B- label starts a new entity of the same type; IO labels without prefix and OntoNotes names map too', () => {
  const text = 'Anna Bob, French, in Paris';
  const classified = tokens(['Anna', 'B-PER'], ['Bob', 'B-PER'], [',', 'O'], ['French', 'NORP'], [',', 'O'], ['in', 'O'], ['Paris', 'GPE']);
  assert.deepEqual(spans(text, classified), [
    ['PERSON', 'Anna', true],
    ['PERSON', 'Bob', true],
    ['NRP', 'French', true],
    ['LOCATION', 'Paris', true],
  ]);
});

test('unknown labels (MISC) and [UNK] tokens are skipped; the score is the mean of the tokens', () => {
  const text = 'Ask Ω Ivan at Euro 2024';
  const matches = tokensToMatches(text, tokens(['Ask', 'O'], ['[UNK]', 'O'], ['Ivan', 'B-PER', 0.8], ['at', 'O'], ['Euro', 'B-MISC'], ['2024', 'I-MISC']));
  assert.deepEqual(matches, [{ type: 'PERSON', start: 6, end: 10, score: 0.8, text: 'Ivan' }]);
});

test('long texts are cut into windows at spaces, never inside a surrogate pair', () => {
  const text = `${'word '.repeat(300)}${'😀'.repeat(600)}`;
  const windows = textWindows(text, 1000);
  assert.equal(windows.map((window) => window.text).join(''), text);
  for (const window of windows) {
    assert.ok(window.text.length <= 1000);
    assert.equal(text.slice(window.start, window.start + window.text.length), window.text);
    assert.ok(!/^[\uDC00-\uDFFF]/.test(window.text), 'window starts with a low surrogate');
  }
});
