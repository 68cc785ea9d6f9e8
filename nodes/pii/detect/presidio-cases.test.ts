import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runNode, type EntitiesItem } from '../../../src/node-kit/index.js';
import node from './node.js';
import { entityTypes, type EntityType } from './recognizers/index.js';

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

/**
 * The README's "very weak" matches: Presidio itself scores them at most 0.3 (9-digit SSN shapes,
 * "::" as an IP), so a detector with a score threshold may drop them. Our default `minScore` does.
 */
const veryWeakScore = 0.3;
const isVeryWeak = (span: PresidioCase['expected'][number]) => span.presidioScore !== undefined && span.presidioScore.max <= veryWeakScore;

/** Presidio's "defaults + JP" region lists become our single `phoneRegion` (those texts hold one national number). */
function configFor(testCase: PresidioCase): Record<string, unknown> {
  const extra = testCase.config?.phoneRegions?.match(/\+\s*([A-Z]{2})$/)?.[1];
  return extra ? { phoneRegion: extra } : {};
}

async function detect(testCase: PresidioCase): Promise<EntitiesItem['entities']> {
  const result = await runNode(node, { config: configFor(testCase), items: [{ item: { text: testCase.text, meta: {} } }] });
  assert.deepEqual(result.problems, [], `${testCase.id}: emitted items break their lane schema`);
  const entities = result.emitted.find((emitted) => emitted.lane === 'entities')?.item as EntitiesItem;
  return entities.entities;
}

interface Tally {
  truePositives: number;
  /** True positives whose offsets equal the gold span's exactly. */
  exact: number;
  falsePositives: number;
  falseNegatives: number;
  misses: string[];
  extras: string[];
}

/**
 * Matching rule: a detection matches a gold span when the types are equal and the offsets overlap
 * (start < other.end && other.start < end); each gold span and each detection matches at most once.
 * Per case, only the types in both its `scope` and our seven count. Unmatched gold spans are false
 * negatives, except the README's "very weak" spans (Presidio score at most 0.3: odd 9-digit SSN
 * shapes, "::" as IP), which our default `minScore` drops: those are optional, neither missed nor extra. Unmatched
 * detections are false positives, except in cases marked `exhaustive: false`.
 */
async function evaluate(): Promise<Map<EntityType, Tally>> {
  const tallies = new Map<EntityType, Tally>(
    entityTypes.map((type) => [type, { truePositives: 0, exact: 0, falsePositives: 0, falseNegatives: 0, misses: [], extras: [] }]),
  );
  for (const testCase of cases) {
    const types = entityTypes.filter((type) => testCase.scope.includes(type));
    if (types.length === 0) continue;
    const detected = await detect(testCase);
    for (const type of types) {
      const tally = tallies.get(type)!;
      const gold = testCase.expected.filter((span) => span.type === type);
      const found = detected.filter((entity) => entity.type === type);
      const used = new Set<number>();
      for (const span of gold) {
        const index = found.findIndex((entity, at) => !used.has(at) && entity.start < span.end && span.start < entity.end);
        const optional = isVeryWeak(span);
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

test('precision and recall per entity type over the Presidio cases are at least 0.9', async (t) => {
  const tallies = await evaluate();
  const ratio = (part: number, whole: number) => (whole === 0 ? 1 : part / whole);
  t.diagnostic('type            gold  found  TP  FP  FN  precision  recall  exact offsets');
  for (const [type, tally] of tallies) {
    const precision = ratio(tally.truePositives, tally.truePositives + tally.falsePositives);
    const recall = ratio(tally.truePositives, tally.truePositives + tally.falseNegatives);
    t.diagnostic(
      `${type.padEnd(15)} ${String(tally.truePositives + tally.falseNegatives).padStart(4)}  ` +
        `${String(tally.truePositives + tally.falsePositives).padStart(5)} ${String(tally.truePositives).padStart(3)} ` +
        `${String(tally.falsePositives).padStart(3)} ${String(tally.falseNegatives).padStart(3)}  ` +
        `${precision.toFixed(3).padStart(9)}  ${recall.toFixed(3).padStart(6)}  ${tally.exact}/${tally.truePositives}`,
    );
    for (const miss of tally.misses) t.diagnostic(`  missed ${type}: ${miss}`);
    for (const extra of tally.extras) t.diagnostic(`  extra  ${type}: ${extra}`);
  }
  for (const [type, tally] of tallies) {
    assert.ok(tally.truePositives > 0, `${type}: no gold spans evaluated`);
    const precision = ratio(tally.truePositives, tally.truePositives + tally.falsePositives);
    const recall = ratio(tally.truePositives, tally.truePositives + tally.falseNegatives);
    assert.ok(precision >= 0.9, `${type}: precision ${precision.toFixed(3)} < 0.9 (${tally.extras.join('; ')})`);
    assert.ok(recall >= 0.9, `${type}: recall ${recall.toFixed(3)} < 0.9 (${tally.misses.join('; ')})`);
  }
});

test('negative cases with a bad Luhn or IBAN checksum are not detected at all', async () => {
  const checksumCases = cases.filter(
    (testCase) =>
      testCase.negative &&
      (testCase.scope.includes('CREDIT_CARD') || testCase.scope.includes('IBAN_CODE')) &&
      /luhn|checksum/i.test(testCase.note ?? ''),
  );
  assert.ok(checksumCases.length >= 6, `expected the checksum cases, found ${checksumCases.length}`);
  for (const testCase of checksumCases) {
    assert.deepEqual(await detect(testCase), [], `${testCase.id}: ${testCase.text}`);
  }
});

test('very weak SSN shapes and "::" are found once minScore is lowered', async () => {
  const ours = (span: PresidioCase['expected'][number]) => (entityTypes as readonly string[]).includes(span.type);
  const weak = cases.filter((testCase) => testCase.expected.some((span) => ours(span) && isVeryWeak(span)));
  assert.ok(weak.length >= 3, `expected at least 3 cases with very weak spans, found ${weak.length}`);
  for (const testCase of weak) {
    for (const span of testCase.expected.filter(isVeryWeak)) {
      const atDefault = await detect(testCase);
      assert.ok(!atDefault.some((entity) => entity.start === span.start), `${testCase.id}: ${span.value} found at the default minScore`);
    }
    const result = await runNode(node, { config: { minScore: 0 }, items: [{ item: { text: testCase.text, meta: {} } }] });
    const entities = (result.emitted.find((emitted) => emitted.lane === 'entities')?.item as EntitiesItem).entities;
    for (const span of testCase.expected.filter(ours)) {
      assert.ok(
        entities.some((entity) => entity.type === span.type && entity.start === span.start && entity.end === span.end),
        `${testCase.id}: ${span.type} ${span.value} not found at minScore 0 (found ${JSON.stringify(entities)})`,
      );
    }
  }
});
