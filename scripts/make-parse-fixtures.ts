/**
 * Generates the small, real documents the parse.* node tests read, in test/fixtures/parse/:
 *
 *   report.docx    two headings, paragraphs, a bullet list and a 3x3 table (built with `docx`)
 *   sales.xlsx     two sheets: "Sales" (a formula with its cached value, dates) and "Notes" (exceljs)
 *   article.html   a page with nav, script, style, header, an article with a table, and a footer
 *   orders.csv     `;`-delimited, UTF-8 BOM, quoted fields, a quoted newline and an escaped quote
 *   notes.md       YAML front matter, headings, a GFM table and a fenced block that only looks like one
 *
 * We wrote every word and number in these files; they are CC0 (test/fixtures/README.md).
 * Text files are byte-for-byte deterministic; docx and xlsx are zip files whose entry timestamps
 * change on each run, so regenerate them only when their content has to change.
 *
 * Run with `npx tsx scripts/make-parse-fixtures.ts`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import ExcelJS from 'exceljs';

const folder = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'test', 'fixtures', 'parse');
const fixedDate = new Date(Date.UTC(2024, 0, 2, 3, 4, 5));

async function reportDocx(): Promise<Uint8Array> {
  const cell = (text: string, bold = false) =>
    new TableCell({ children: [new Paragraph({ children: [new TextRun({ text, bold })] })], width: { size: 3000, type: WidthType.DXA } });
  const table = new Table({
    rows: [
      new TableRow({ tableHeader: true, children: [cell('Region', true), cell('Revenue', true), cell('Growth', true)] }),
      new TableRow({ children: [cell('Europe'), cell('1200'), cell('12%')] }),
      new TableRow({ children: [cell('Asia'), cell('800'), cell('8%')] }),
    ],
  });
  const document = new Document({
    creator: 'Pipelane tests',
    title: 'Quarterly report',
    sections: [
      {
        children: [
          new Paragraph({ text: 'Quarterly report', heading: HeadingLevel.HEADING_1 }),
          new Paragraph({ text: 'Revenue grew in every region this quarter.' }),
          new Paragraph({ text: 'Regional numbers', heading: HeadingLevel.HEADING_2 }),
          table,
          new Paragraph({ text: 'Europe led the growth.', bullet: { level: 0 } }),
          new Paragraph({ text: 'Asia followed.', bullet: { level: 0 } }),
          new Paragraph({ text: 'Figures are in thousands of euros.' }),
        ],
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(document));
}

async function salesXlsx(): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Pipelane tests';
  workbook.created = fixedDate;
  workbook.modified = fixedDate;
  const sales = workbook.addWorksheet('Sales');
  sales.addRow(['Region', 'Units', 'Price', 'Total', 'Shipped']);
  const rows: Array<[string, number, number, Date]> = [
    ['Europe', 12, 5, new Date(Date.UTC(2024, 2, 15))],
    ['Asia', 8, 7.25, new Date(Date.UTC(2024, 3, 1, 14, 30))],
  ];
  rows.forEach(([region, units, price, shipped], index) => {
    const row = index + 2;
    // the cached result is what a spreadsheet application would have saved next to the formula
    sales.addRow([region, units, price, { formula: `B${row}*C${row}`, result: units * price }, shipped]);
  });
  sales.getColumn(5).numFmt = 'yyyy-mm-dd hh:mm';
  const notes = workbook.addWorksheet('Notes');
  notes.addRow(['Key', 'Value']);
  notes.addRow(['Currency', 'EUR']);
  notes.addRow(['Audited', true]);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

const articleHtml = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Quarterly report | Example Gazette</title>
  <style>body { font-family: sans-serif; } .hidden-style-text { display: none; }</style>
  <script>window.trackingId = "SCRIPT-SHOULD-NOT-APPEAR";</script>
</head>
<body>
  <nav class="site-nav"><a href="/">Home</a> | <a href="/world">World</a> | <a href="/about">NAVIGATION-SHOULD-NOT-APPEAR</a></nav>
  <header><p>Example Gazette, the paper of record for invented numbers</p></header>
  <main>
    <article>
      <h1>Quarterly report</h1>
      <p>Revenue grew in every region this quarter. Europe led with twelve percent growth,
         while Asia added eight percent on the back of new customers in Singapore and Seoul.</p>
      <h2>Regional numbers</h2>
      <p>The table below lists revenue in thousands of euros and growth against the same quarter last year.</p>
      <table>
        <thead><tr><th>Region</th><th>Revenue</th><th>Growth</th></tr></thead>
        <tbody>
          <tr><td>Europe</td><td>1,200</td><td>12%</td></tr>
          <tr><td>Asia</td><td>800</td><td>8%</td></tr>
        </tbody>
      </table>
      <h2>Outlook</h2>
      <ul>
        <li>Hire two engineers in Lisbon.</li>
        <li>Open the Seoul office in the spring.</li>
      </ul>
      <p>The board expects growth to continue through the year, with the usual caveats about currency and demand.</p>
    </article>
  </main>
  <footer><p>Copyright FOOTER-SHOULD-NOT-APPEAR</p></footer>
  <script>console.log("SCRIPT-SHOULD-NOT-APPEAR");</script>
</body>
</html>
`;

// BOM, `;` delimiter, a comma inside a field (so a naive comma count is wrong), a quoted newline,
// an escaped quote and a non-ASCII name.
const ordersCsv =
  '\uFEFFid;customer;note;amount\n' +
  '1;"Dupont, Marie";"first order";12,50\n' +
  '2;"Jürgen Ölz";"deliver to the back door\nring twice";7,00\n' +
  '3;"O\'Brien";"said ""thanks""";3,25\n';

const notesMarkdown = `---
title: Release notes
version: 1.2
draft: false
tags: [parse, fixtures]
authors:
  - Ada
  - Grace
---
# Release notes

Pipelane 1.2 adds document parsers.

## Supported formats

| Format | Node | Tables |
|:-------|:----:|-------:|
| HTML | parse.html | yes |
| Word | parse.docx | yes |
| CSV \\| TSV | parse.csv | \`a\\|b\` *or* **c** |

\`\`\`
| not | a table |
|-----|---------|
| inside | a fence |
\`\`\`

## Known limits

Scanned PDFs need OCR.
`;

await mkdir(folder, { recursive: true });
const files: Array<[string, Uint8Array | string]> = [
  ['report.docx', await reportDocx()],
  ['sales.xlsx', await salesXlsx()],
  ['article.html', articleHtml],
  ['orders.csv', ordersCsv],
  ['notes.md', notesMarkdown],
];
for (const [name, content] of files) {
  await writeFile(path.join(folder, name), content);
  console.error(`test/fixtures/parse/${name}: ${typeof content === 'string' ? Buffer.byteLength(content) : content.byteLength} bytes`);
}
