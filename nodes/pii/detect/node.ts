import { defineNode } from '../../../src/node-kit/index.js';
import { detectionConfig } from '../shared/detection-config.js';
import { openDetector, type Detector } from '../shared/detector.js';
import { entityAttributes } from '../shared/entity-counts.js';

const detectorKey = 'pii.detect.detector';

export default defineNode({
  type: 'pii.detect',
  title: 'PII detector',
  description:
    'Finds personal data in text and emits it as entities with offsets and scores: e-mails, phone numbers (any region), ' +
    'cards (Luhn), IBANs (mod-97), US SSN/bank/passport/driver licence, UK NHS (mod-11), DEA numbers, crypto wallets ' +
    '(checksummed), IPs, URLs, dates, and people, places and organisations (offline, or a local NER model). Text is not changed.',
  inputs: ['text'],
  outputs: ['entities'],
  config: detectionConfig,
  examples: [
    { title: 'Everything, Presidio defaults', config: {} },
    { title: 'Only checksummed numbers, high confidence', config: { entities: ['CREDIT_CARD', 'IBAN_CODE', 'UK_NHS', 'CRYPTO'], minScore: 0.8 } },
    { title: 'Names from a local NER model', config: { entities: ['PERSON', 'LOCATION', 'ORGANIZATION'], nerModelPath: 'models/bert-base-NER' } },
  ],
  open(ctx) {
    ctx.state[detectorKey] = openDetector(ctx.config);
  },
  async process(item, ctx) {
    const entities = await (ctx.state[detectorKey] as Detector).detect(item.text, ctx.signal);
    ctx.setAttributes(entityAttributes(entities));
    await ctx.emit('entities', { text: item.text, entities, meta: { ...item.meta, piiCount: entities.length } });
  },
  close(ctx) {
    (ctx.state[detectorKey] as Detector | undefined)?.release();
    delete ctx.state[detectorKey];
  },
});
