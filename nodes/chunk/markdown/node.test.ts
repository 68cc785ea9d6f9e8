import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { runNode, type Document } from '../../../src/node-kit/index.js';
import node from './node.js';

async function chunk(text: string, config: Record<string, unknown> = {}, meta: Record<string, unknown> = { source: 'README.md' }) {
  const result = await runNode(node, { config, items: [{ item: { text, meta } }] });
  assert.deepEqual(result.problems, []);
  assert.deepEqual(result.errors, []);
  assert.equal(result.emitted.length, 1, 'one documents item per input text');
  return { documents: result.emitted[0]!.item as Document[], warnings: result.warnings, attributes: result.attributes };
}

const presidioReadme = readFileSync(new URL('../../../test/fixtures/pii/README.md', import.meta.url), 'utf8');
/** A real README of 15 KB with 11 code fences, nested headings down to ######, link definitions. */
const mdastReadme = readFileSync(new URL('../../../node_modules/mdast-util-from-markdown/readme.md', import.meta.url), 'utf8');

const readme = `# Pipelane

Lane-typed pipelines for agents.

## Install

\`\`\`sh
npm install pipelane
# a comment, not a heading
\`\`\`

## Usage

### CLI

Run \`pipelane run\` on a *pipeline* file.

### MCP server

Add it to your [client](https://example.com).

Setext section
--------------

Text under a setext heading.

# Appendix

## License

Apache-2.0
`;

const paths = (documents: Document[]) => documents.map((document) => document.metadata.headingPath);

function assertSlicesAndSize(text: string, documents: Document[], size: number): void {
  for (const document of documents) {
    const { start, end } = document.metadata as Record<string, number>;
    assert.equal(text.slice(start, end), document.text, `text.slice(${start}, ${end}) === chunk.text`);
    assert.ok(document.text.length <= size, `${document.text.length} > ${size}`);
    assert.equal(document.text, document.text.trim(), 'trimmed');
  }
  const covered = new Uint8Array(text.length);
  for (const document of documents) covered.fill(1, document.metadata.start as number, document.metadata.end as number);
  for (let index = 0; index < text.length; index++) if (!covered[index]) assert.match(text[index]!, /\s/u, `character ${index} is in no chunk`);
}

test('heading paths and levels are exact on a README-like document (ATX, setext, inline code and links, # in a fence)', async () => {
  const { documents } = await chunk(readme, { merge: false });
  assert.deepEqual(paths(documents), [
    ['Pipelane'],
    ['Pipelane', 'Install'],
    ['Pipelane', 'Usage'],
    ['Pipelane', 'Usage', 'CLI'],
    ['Pipelane', 'Usage', 'MCP server'],
    ['Pipelane', 'Setext section'],
    ['Appendix'],
    ['Appendix', 'License'],
  ]);
  assert.deepEqual(documents.map((document) => document.metadata.headingLevel), [1, 2, 2, 3, 3, 2, 1, 2]);
  assert.equal(documents[1]!.text, '## Install\n\n```sh\nnpm install pipelane\n# a comment, not a heading\n```');
  assertSlicesAndSize(readme, documents, 1000);
});

test('heading paths are exact on the Presidio fixture README (one per ## line)', async () => {
  const { documents } = await chunk(presidioReadme, { size: 8000, merge: false });
  const title = 'PII detection cases taken from Microsoft Presidio';
  const subheadings = Array.from(presidioReadme.matchAll(/^## (.+)$/gm), (found) => found[1]!.replace(/`/g, ''));
  assert.ok(subheadings.length >= 4);
  assert.deepEqual(paths(documents), [[title], ...subheadings.map((heading) => [title, heading])]);
  assert.deepEqual(paths(documents).slice(0, 3), [[title], [title, 'Where the cases come from'], [title, 'Fields']]);
  assertSlicesAndSize(presidioReadme, documents, 8000);
});

test('small sections merge up to size under the same parent; the path is what they share', async () => {
  const { documents } = await chunk(readme, { size: 130 });
  assert.deepEqual(
    documents.map((document) => [document.metadata.headingPath, document.text.split('\n')[0]]),
    [
      [['Pipelane'], '# Pipelane'], // the title's intro and Install (115 characters)
      [['Pipelane', 'Usage'], '## Usage'], // a bare heading opens a group: Usage, CLI and MCP server (122)
      [['Pipelane', 'Setext section'], 'Setext section'], // would make 183
      [['Appendix'], '# Appendix'], // another top-level parent: never merged with Pipelane's sections
    ],
  );
  assert.match(documents[1]!.text, /### CLI[\s\S]*### MCP server/);
  assert.equal(documents[3]!.text, '# Appendix\n\n## License\n\nApache-2.0');
  assertSlicesAndSize(readme, documents, 130);
});

test('on a real README: sections over size are cut between blocks, every code fence that fits stays whole', async (t) => {
  const fences = (fromMarkdown(mdastReadme).children as Array<{ type: string; position?: { start: { offset?: number }; end: { offset?: number } } }>)
    .filter((child) => child.type === 'code')
    .map((child) => ({ start: child.position!.start.offset!, end: child.position!.end.offset! }));
  assert.ok(fences.length >= 10);
  for (const size of [300, 600, 1500]) {
    const { documents } = await chunk(mdastReadme, { size });
    assertSlicesAndSize(mdastReadme, documents, size);
    let whole = 0;
    for (const fence of fences.filter((fence) => fence.end - fence.start <= size)) {
      const holder = documents.find((document) => (document.metadata.start as number) <= fence.start && fence.end <= (document.metadata.end as number));
      assert.ok(holder, `size ${size}: the fence at ${fence.start} (${fence.end - fence.start} characters) is split`);
      whole++;
    }
    const headingAlone = documents.filter((document) => /^#+ [^\n]*$/.test(document.text) && document.metadata.chunkCount !== 1);
    t.diagnostic(`size ${size}: ${documents.length} chunks, ${whole}/${fences.length} fences whole, ${headingAlone.length} heading-only chunks`);
    for (const document of documents) {
      const path = document.metadata.headingPath as string[];
      assert.equal(path[0], 'mdast-util-from-markdown');
    }
  }
});

test('a code fence longer than size is cut at lines', async () => {
  const code = Array.from({ length: 30 }, (_, index) => `const value${index} = compute(${index}); // line ${index}`).join('\n');
  const text = `# Code\n\n\`\`\`js\n${code}\n\`\`\`\n`;
  const { documents } = await chunk(text, { size: 200 });
  assertSlicesAndSize(text, documents, 200);
  assert.ok(documents.length > 5);
  for (const document of documents.slice(1, -1)) assert.match(document.text, /^const value\d+ = [^\n]*;[\s\S]*; \/\/ line \d+$/, 'whole lines');
  assert.ok(documents[0]!.text.startsWith('# Code\n\n```js\nconst value0'), 'the heading stays with the first lines');
});

test('front matter, a BOM and CR LF keep exact offsets', async () => {
  const text = '\uFEFF---\r\ntitle: Notes\r\n---\r\n# Notes 🙂\r\n\r\nFirst.\r\n\r\n## Part\r\n\r\nSecond.\r\n';
  const { documents } = await chunk(text, { merge: false });
  assert.deepEqual(paths(documents), [[], ['Notes 🙂'], ['Notes 🙂', 'Part']]);
  assert.equal(documents[0]!.text, '---\r\ntitle: Notes\r\n---');
  assert.equal(documents[1]!.text, '# Notes 🙂\r\n\r\nFirst.');
  assertSlicesAndSize(text, documents, 1000);
});

test('ids are stable across runs; metadata carries source, page, offset, heading path and chunk position', async () => {
  const meta = { source: 'docs/guide.md', page: 1, offset: 10 };
  const first = await chunk(mdastReadme, { size: 500 }, meta);
  const second = await chunk(mdastReadme, { size: 500 }, meta);
  assert.deepEqual(first.documents.map((document) => document.id), second.documents.map((document) => document.id));
  assert.equal(new Set(first.documents.map((document) => document.id)).size, first.documents.length);
  const document = first.documents[3]!;
  assert.deepEqual(Object.keys(document.metadata).sort(), ['chunkCount', 'chunkIndex', 'end', 'headingLevel', 'headingPath', 'offset', 'page', 'source', 'start']);
  assert.equal(document.metadata.offset, 10 + (document.metadata.start as number));
  assert.equal(document.metadata.chunkIndex, 3);
  assert.equal(first.attributes['chunk.count'], first.documents.length);
});

test('empty or whitespace-only text emits an empty array and a warning', async () => {
  const { documents, warnings } = await chunk(' \n\n');
  assert.deepEqual(documents, []);
  assert.match(warnings[0]!, /README\.md.*empty or only whitespace/);
});
