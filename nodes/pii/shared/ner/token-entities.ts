import type { EntityType } from '../entity-types.js';
import type { RecognizerMatch } from '../recognizers/types.js';

/** One token as transformers.js's token-classification pipeline returns it (it gives no offsets). */
export interface ClassifiedToken {
  entity: string;
  score: number;
  index: number;
  word: string;
}

/** Model labels (CoNLL, OntoNotes, WikiNER styles) mapped to Presidio's types; the rest are ignored. */
const labelTypes: Record<string, EntityType> = {
  PER: 'PERSON',
  PERSON: 'PERSON',
  LOC: 'LOCATION',
  LOCATION: 'LOCATION',
  GPE: 'LOCATION',
  FAC: 'LOCATION',
  ORG: 'ORGANIZATION',
  ORGANIZATION: 'ORGANIZATION',
  NORP: 'NRP',
  NRP: 'NRP',
  DATE: 'DATE_TIME',
  TIME: 'DATE_TIME',
};

/** "B-PER" -> { prefix: "B", type: PERSON }; "O" and unknown labels -> undefined. */
export function parseLabel(label: string): { prefix: string; type: EntityType } | undefined {
  const found = /^(?:([BIESL])[-_])?(.+)$/.exec(label.toUpperCase());
  const type = found ? labelTypes[found[2]!] : undefined;
  return type === undefined ? undefined : { prefix: found![1] ?? 'I', type };
}

interface AlignedToken extends ClassifiedToken {
  start: number;
  end: number;
  /** A piece of the same word as the previous token: letters or digits on both sides of the join ("Tae|woong"). */
  continuation: boolean;
}

const wordCharacter = /[\p{L}\p{M}\p{N}]/u;
const fold = (value: string) => value.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/**
 * Finds each token's characters in `text`, left to right. Word-piece markers (##, ▁, Ġ) are
 * dropped; an uncased model's lower-cased, accent-stripped pieces are matched on the folded text.
 * Tokens that cannot be found ([UNK]) get no offsets and are skipped.
 */
export function alignTokens(text: string, tokens: readonly ClassifiedToken[]): AlignedToken[] {
  const folded: string[] = [];
  const origin: number[] = [];
  for (let index = 0; index < text.length; index++) {
    for (const character of fold(text[index]!)) {
      folded.push(character);
      origin.push(index);
    }
  }
  const foldedText = folded.join('');
  const aligned: AlignedToken[] = [];
  let cursor = 0;
  for (const token of tokens) {
    const piece = fold(token.word.replace(/^##/, '').replace(/^[▁Ġ]+/, '').trim());
    if (piece === '' || piece === '[unk]') continue;
    const at = foldedText.indexOf(piece, cursor);
    if (at < 0) continue;
    const start = origin[at]!;
    const end = origin[at + piece.length - 1]! + 1;
    const previous = aligned[aligned.length - 1];
    const continuation = previous !== undefined && previous.end === start && wordCharacter.test(text[start - 1]!) && wordCharacter.test(text[start]!);
    aligned.push({ ...token, start, end, continuation });
    cursor = at + piece.length;
  }
  return aligned;
}

/**
 * Groups aligned tokens into entities: a B- (or S-) label or a change of type starts a new entity,
 * I-/E- labels and word-piece continuations extend it (so a word is never cut in two). The score
 * is the mean of the tokens' scores.
 */
export function tokensToMatches(text: string, tokens: readonly ClassifiedToken[]): RecognizerMatch[] {
  const matches: RecognizerMatch[] = [];
  let current: { type: EntityType; start: number; end: number; scores: number[] } | undefined;
  const close = () => {
    if (current === undefined) return;
    const mean = current.scores.reduce((sum, score) => sum + score, 0) / current.scores.length;
    matches.push({ type: current.type, start: current.start, end: current.end, score: mean, text: text.slice(current.start, current.end) });
    current = undefined;
  };
  for (const token of alignTokens(text, tokens)) {
    const label = parseLabel(token.entity);
    if (current !== undefined && token.continuation) {
      current.end = token.end;
      if (label?.type === current.type) current.scores.push(token.score);
      continue;
    }
    if (label === undefined) {
      close();
      continue;
    }
    const startsNew = current === undefined || current.type !== label.type || label.prefix === 'B' || label.prefix === 'S';
    if (startsNew) {
      close();
      current = { type: label.type, start: token.start, end: token.end, scores: [token.score] };
    } else {
      current!.end = token.end;
      current!.scores.push(token.score);
    }
  }
  close();
  return matches;
}
