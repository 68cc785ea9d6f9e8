import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runNode, type EntitiesItem } from '../../../src/node-kit/index.js';
import { defaultPhoneRegions } from '../shared/detection-config.js';
import { entityTypes, type EntityType } from '../shared/entity-types.js';
import { patternRecognizers } from '../shared/recognizers/index.js';
import node from './node.js';

/** One case of test/fixtures/pii/presidio-cases.json (fields described in its README). */
interface PresidioCase {
  id: string;
  text: string;
  expected: Array<{ type: string; start: number; end: number; value: string; presidioScore?: { min: number; max: number } }>;
  negative: boolean;
  scope: string[];
  level: string;
  exhaustive: boolean;
  config?: { phoneLeniency?: number; phoneRegions?: string };
  note?: string;
}

const cases = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/pii/presidio-cases.json', import.meta.url), 'utf8'),
) as PresidioCase[];

/** Types found by a language model: their cases depend on the model, so they get their own bars. */
const modelTypes: readonly EntityType[] = ['PERSON', 'LOCATION', 'ORGANIZATION', 'NRP', 'DATE_TIME'];
const patternTypes = entityTypes.filter((type) => !modelTypes.includes(type));

/**
 * The README's "very weak" matches: Presidio itself scores them at most 0.3 (9-digit SSN shapes,
 * "::" as an IP, bank and passport numbers without context), so a detector with a score threshold
 * may drop them. Our default `minScore` does.
 */
const veryWeakScore = 0.3;
const isVeryWeak = (span: PresidioCase['expected'][number]) => span.presidioScore !== undefined && span.presidioScore.max <= veryWeakScore;
const isOurs = (type: string): type is EntityType => (entityTypes as readonly string[]).includes(type);

/** Presidio's "defaults + JP" region lists become our default `phoneRegions` plus that region. */
function configFor(testCase: PresidioCase): Record<string, unknown> {
  const extra = testCase.config?.phoneRegions?.match(/\+\s*([A-Z]{2})$/)?.[1];
  return extra ? { phoneRegions: [...defaultPhoneRegions, extra] } : {};
}

async function detect(testCase: PresidioCase, config: Record<string, unknown> = configFor(testCase)): Promise<EntitiesItem['entities']> {
  const result = await runNode(node, { config, items: [{ item: { text: testCase.text, meta: {} } }] });
  assert.deepEqual(result.problems, [], `${testCase.id}: emitted items break their lane schema`);
  assert.deepEqual(result.errors, [], `${testCase.id}: errors`);
  return (result.emitted.find((emitted) => emitted.lane === 'entities')?.item as EntitiesItem).entities;
}

interface Tally {
  truePositives: number;
  /** True positives whose offsets equal the gold span's exactly. */
  exact: number;
  falsePositives: number;
  falseNegatives: number;
  misses: string[];
  extras: string[];
  /** Very weak gold spans (optional): how many there were, and how many were found anyway (context). */
  optional: number;
  optionalFound: number;
  /** Cases whose scope names this type. */
  cases: number;
}

const ratio = (part: number, whole: number) => (whole === 0 ? 1 : part / whole);
const precisionOf = (tally: Tally) => ratio(tally.truePositives, tally.truePositives + tally.falsePositives);
const recallOf = (tally: Tally) => ratio(tally.truePositives, tally.truePositives + tally.falseNegatives);

/**
 * Matching rule: a detection matches a gold span when the types are equal and the offsets overlap
 * (start < other.end && other.start < end); each gold span and each detection matches at most once.
 * Per case, only the types in both its `scope` and ours count. Unmatched gold spans are false
 * negatives, except the README's "very weak" spans (Presidio score at most 0.3: odd 9-digit SSN
 * shapes, "::" as IP, context-free bank and passport numbers), which our default `minScore` drops:
 * those are optional, neither missed nor extra. Unmatched detections are false positives, except in
 * cases marked `exhaustive: false`.
 */
async function evaluate(): Promise<Map<EntityType, Tally>> {
  const tallies = new Map<EntityType, Tally>(
    entityTypes.map((type) => [type, { truePositives: 0, exact: 0, falsePositives: 0, falseNegatives: 0, misses: [], extras: [], optional: 0, optionalFound: 0, cases: 0 }]),
  );
  for (const testCase of cases) {
    const types = entityTypes.filter((type) => testCase.scope.includes(type));
    if (types.length === 0) continue;
    const detected = await detect(testCase);
    for (const type of types) {
      const tally = tallies.get(type)!;
      tally.cases++;
      const gold = testCase.expected.filter((span) => span.type === type);
      const found = detected.filter((entity) => entity.type === type);
      const used = new Set<number>();
      for (const span of gold) {
        const index = found.findIndex((entity, at) => !used.has(at) && entity.start < span.end && span.start < entity.end);
        const optional = isVeryWeak(span);
        if (optional) tally.optional++;
        if (optional && index >= 0) tally.optionalFound++;
        if (index >= 0) {
          used.add(index);
          if (!optional) tally.truePositives++;
          if (!optional && found[index]!.start === span.start && found[index]!.end === span.end) tally.exact++;
        } else if (!optional) {
          tally.falseNegatives++;
          tally.misses.push(`${testCase.id} ${JSON.stringify(span.value)}`);
        }
      }
      if (!testCase.exhaustive) continue;
      found.forEach((entity, at) => {
        if (used.has(at)) return;
        tally.falsePositives++;
        tally.extras.push(`${testCase.id} ${JSON.stringify(entity.text)} ${entity.start}-${entity.end}`);
      });
    }
  }
  return tallies;
}

const evaluation = evaluate();

test('per-type precision and recall over the Presidio cases (printed)', async (t) => {
  const tallies = await evaluation;
  t.diagnostic('type              cases  gold  found  TP  FP  FN  precision  recall  exact offsets  very weak found');
  for (const [type, tally] of tallies) {
    if (tally.cases === 0) continue;
    t.diagnostic(
      `${type.padEnd(18)}${String(tally.cases).padStart(5)}  ${String(tally.truePositives + tally.falseNegatives).padStart(4)}  ` +
        `${String(tally.truePositives + tally.falsePositives).padStart(5)} ${String(tally.truePositives).padStart(3)} ` +
        `${String(tally.falsePositives).padStart(3)} ${String(tally.falseNegatives).padStart(3)}  ` +
        `${precisionOf(tally).toFixed(3).padStart(9)}  ${recallOf(tally).toFixed(3).padStart(6)}  ` +
        `${`${tally.exact}/${tally.truePositives}`.padStart(13)}  ${`${tally.optionalFound}/${tally.optional}`.padStart(15)}`,
    );
    for (const miss of tally.misses) t.diagnostic(`  missed ${type}: ${miss}`);
    for (const extra of tally.extras) t.diagnostic(`  extra  ${type}: ${extra}`);
  }
});

test('pattern and checksum types: precision and recall are at least 0.95 each', async () => {
  const tallies = await evaluation;
  for (const type of patternTypes) {
    const tally = tallies.get(type)!;
    // US_BANK_NUMBER's one gold span is very weak (no context): checked by the minScore 0 test below
    if (type !== 'US_BANK_NUMBER') assert.ok(tally.truePositives > 0, `${type}: no gold spans evaluated`);
    assert.ok(precisionOf(tally) >= 0.95, `${type}: precision ${precisionOf(tally).toFixed(3)} < 0.95 (${tally.extras.join('; ')})`);
    assert.ok(recallOf(tally) >= 0.95, `${type}: recall ${recallOf(tally).toFixed(3)} < 0.95 (${tally.misses.join('; ')})`);
  }
});

test('PERSON recall is at least 0.8 on the cases that have PERSON (compromise, offline)', async () => {
  const tally = (await evaluation).get('PERSON')!;
  assert.ok(tally.truePositives + tally.falseNegatives >= 10, 'expected the PERSON cases');
  assert.ok(recallOf(tally) >= 0.8, `PERSON recall ${recallOf(tally).toFixed(3)} < 0.8 (${tally.misses.join('; ')})`);
});

test('names and dates hold what they reach today: PERSON 0.9, LOCATION and ORGANIZATION 1 (one span each), DATE_TIME 0.95', async () => {
  const tallies = await evaluation;
  const floors: Array<[EntityType, number, number]> = [
    ['PERSON', 0.9, 0.9],
    ['LOCATION', 1, 1],
    ['ORGANIZATION', 1, 1],
    ['DATE_TIME', 0.95, 0.95],
  ];
  for (const [type, precision, recall] of floors) {
    const tally = tallies.get(type)!;
    assert.ok(precisionOf(tally) >= precision, `${type}: precision ${precisionOf(tally).toFixed(3)} < ${precision} (${tally.extras.join('; ')})`);
    assert.ok(recallOf(tally) >= recall, `${type}: recall ${recallOf(tally).toFixed(3)} < ${recall} (${tally.misses.join('; ')})`);
  }
});

const failsChecksum = (testCase: PresidioCase) => testCase.negative && /luhn|checksum|check digit|mod-11|base58check/i.test(testCase.note ?? '');

test('every negative case with a bad checksum (Luhn, mod-97, mod-11, base58check, DEA) finds nothing of its types', async () => {
  const checksumCases = cases.filter(failsChecksum);
  assert.ok(checksumCases.length >= 11, `expected the checksum cases, found ${checksumCases.length}`);
  for (const testCase of checksumCases) {
    const found = (await detect(testCase)).filter((entity) => testCase.scope.includes(entity.type));
    assert.deepEqual(found, [], `${testCase.id}: ${testCase.text}`);
  }
});

test('bad Luhn and IBAN checksums are not detected as anything at all', async () => {
  const checksumCases = cases.filter((testCase) => failsChecksum(testCase) && (testCase.scope.includes('CREDIT_CARD') || testCase.scope.includes('IBAN_CODE')));
  assert.ok(checksumCases.length >= 6, `expected the Luhn and IBAN checksum cases, found ${checksumCases.length}`);
  for (const testCase of checksumCases) {
    assert.deepEqual(await detect(testCase), [], `${testCase.id}: ${testCase.text}`);
  }
});

/** Whether one of the type's context words appears in the text (then a weak span may pass the threshold). */
const hasContextWord = (text: string, type: string) =>
  patternRecognizers
    .filter((recognizer) => (recognizer.types as readonly string[]).includes(type))
    .some((recognizer) => (recognizer.context ?? []).some((word) => new RegExp(`\\b${word}`, 'i').test(text)));

test('very weak spans are dropped at the default minScore unless a context word is near, and all are found at minScore 0', async () => {
  const weak = cases.filter((testCase) => testCase.expected.some((span) => isOurs(span.type) && isVeryWeak(span)));
  assert.ok(weak.length >= 5, `expected at least 5 cases with very weak spans, found ${weak.length}`);
  for (const testCase of weak) {
    const atDefault = await detect(testCase);
    for (const span of testCase.expected.filter(isVeryWeak)) {
      const found = atDefault.some((entity) => entity.type === span.type && entity.start === span.start);
      assert.equal(found, hasContextWord(testCase.text, span.type), `${testCase.id}: ${span.value} found at the default minScore: ${found}`);
    }
    // Presidio's recognizer tests run one recognizer at a time: so do we, for the types in scope
    const scoped = testCase.scope.filter(isOurs);
    const entities = await detect(testCase, { ...configFor(testCase), minScore: 0, entities: scoped });
    for (const span of testCase.expected.filter((gold) => isOurs(gold.type))) {
      assert.ok(
        entities.some((entity) => entity.type === span.type && entity.start === span.start && entity.end === span.end),
        `${testCase.id}: ${span.type} ${span.value} not found at minScore 0 (found ${JSON.stringify(entities)})`,
      );
    }
  }
});
