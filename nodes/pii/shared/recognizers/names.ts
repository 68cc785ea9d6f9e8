import type Compromise from 'compromise';
import type { EntityType } from '../entity-types.js';
import { match, type Recognizer, type RecognizerMatch } from './types.js';

/** compromise has no confidence; its picks are as good as a small NER model's (Presidio's spaCy: 0.85). */
const nameScore = 0.85;
/** An organisation that is only an acronym ("OCR", "PII", "MCP") is more often a technical term. */
const acronymScore = 0.3;
const isAcronym = (value: string) => /^\p{Lu}{2,5}s?$/u.test(value);
/** A proper name starts a word with a capital somewhere ("gen" in "npm run gen" is no person). */
const hasCapitalisedWord = (value: string) => /(?:^|[^\p{L}])\p{Lu}/u.test(value);
/** Names hold letters, digits (street numbers), spaces and . ' - & , only: not code or markup ("node N] [--status"). */
const hasForeignCharacter = (value: string) => /[^\p{L}\p{M}\p{N}\s.'’&,-]/u.test(value);

interface CompromiseTerm {
  text: string;
  tags: string[];
  offset: { start: number; length: number };
}
interface CompromiseMatch {
  terms: CompromiseTerm[];
}
interface CompromiseView {
  json(options: { offset: true; terms: { offset: true } }): CompromiseMatch[];
}

let nlp: typeof Compromise | undefined;

/**
 * Loads compromise (~440 modules, a third of a second) before the first text is searched rather
 * than when a node definition is imported, so `pipelane mcp` starts without it.
 */
export async function loadNameFinder(): Promise<void> {
  nlp ??= (await import('compromise')).default;
}

const views: Array<{ type: EntityType; select(doc: ReturnType<typeof Compromise>): CompromiseView }> = [
  { type: 'PERSON', select: (doc) => doc.people() },
  { type: 'LOCATION', select: (doc) => doc.places() },
  { type: 'ORGANIZATION', select: (doc) => doc.organizations() },
  { type: 'NRP', select: (doc) => doc.match('#Demonym') },
];

/**
 * People, places, organisations and nationalities (NRP) found offline by compromise's English
 * lexicon and rules. Honorifics ("Mr.") and a possessive "'s" are left outside the span, as in
 * Presidio's spaCy results; spans without a capitalised word or with code-like characters are dropped, and acronym-only
 * organisations score under the default threshold.
 */
export const namesRecognizer: Recognizer = {
  name: 'names',
  types: ['PERSON', 'LOCATION', 'ORGANIZATION', 'NRP'],
  find(text) {
    if (nlp === undefined) throw new Error('the names recognizer ran before loadNameFinder()');
    const doc = nlp(text);
    const found: RecognizerMatch[] = [];
    for (const { type, select } of views) {
      for (const { terms } of select(doc).json({ offset: true, terms: { offset: true } })) {
        const span = spanOf(text, terms);
        if (span === undefined) continue;
        const value = text.slice(span.start, span.end);
        if (!hasCapitalisedWord(value) || hasForeignCharacter(value)) continue;
        found.push(match(type, text, span.start, span.end, type === 'ORGANIZATION' && isAcronym(value) ? acronymScore : nameScore));
      }
    }
    return found;
  },
};

function spanOf(text: string, terms: CompromiseTerm[]): { start: number; end: number } | undefined {
  const kept = terms.filter((term, index) => !(term.tags.includes('Honorific') && index < terms.length - 1));
  const first = kept[0];
  const last = kept[kept.length - 1];
  if (first === undefined || last === undefined) return undefined;
  // compromise's offsets are UTF-16 code units into the text; check rather than trust
  if (text.slice(first.offset.start, first.offset.start + first.text.length) !== first.text) return undefined;
  const start = first.offset.start;
  let end = last.offset.start + last.offset.length;
  const possessive = /['’]s$/i.exec(text.slice(start, end));
  if (possessive) end -= possessive[0].length;
  while (end > start && !/[\p{L}\p{M}\p{N}]/u.test(text[end - 1]!)) end--;
  return end > start ? { start, end } : undefined;
}
