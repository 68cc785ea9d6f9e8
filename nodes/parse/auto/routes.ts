import path from 'node:path';
import type { AnyNodeDefinition } from '../../../src/node-kit/index.js';
import csv from '../csv/node.js';
import docx from '../docx/node.js';
import html from '../html/node.js';
import markdown from '../markdown/node.js';
import pdf from '../pdf/node.js';
import xlsx from '../xlsx/node.js';

/** What parse.auto does with one kind of input. */
export type Route =
  | { kind: 'parser'; label: string; definition: AnyNodeDefinition }
  | { kind: 'text'; label: string }
  | { kind: 'image'; label: string };

interface RouteEntry {
  route: Route;
  mimes: readonly string[];
  /** Extensions that pick this route when the detected mime is generic (zip, octet-stream, compound file). */
  extensions: readonly string[];
}

const table: readonly RouteEntry[] = [
  { route: { kind: 'parser', label: 'PDF', definition: pdf }, mimes: ['application/pdf'], extensions: ['.pdf'] },
  { route: { kind: 'parser', label: 'HTML', definition: html }, mimes: ['text/html', 'application/xhtml+xml'], extensions: ['.html', '.htm', '.xhtml'] },
  {
    route: { kind: 'parser', label: 'Word', definition: docx },
    mimes: ['application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    extensions: ['.docx', '.doc'],
  },
  {
    route: { kind: 'parser', label: 'Excel', definition: xlsx },
    mimes: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    extensions: ['.xlsx', '.xls'],
  },
  { route: { kind: 'parser', label: 'CSV', definition: csv }, mimes: ['text/csv', 'text/tab-separated-values', 'application/csv'], extensions: ['.csv', '.tsv'] },
  { route: { kind: 'parser', label: 'Markdown', definition: markdown }, mimes: ['text/markdown', 'text/x-markdown'], extensions: ['.md', '.markdown'] },
  // the images ocr.tesseract reads
  { route: { kind: 'image', label: 'image' }, mimes: ['image/png', 'image/jpeg', 'image/tiff', 'image/gif', 'image/webp'], extensions: [] },
  { route: { kind: 'text', label: 'plain text' }, mimes: ['text/plain', 'application/json', 'application/xml', 'text/xml'], extensions: ['.txt'] },
];

/** Mimes that say only "some container": the file name decides (a .doc inside a compound file). */
const genericMimes: ReadonlySet<string> = new Set(['application/octet-stream', 'application/zip', 'application/x-cfb']);

/** The parsers parse.auto can call, for its output lanes and time limit. */
export const parserDefinitions: readonly AnyNodeDefinition[] = table.flatMap(({ route }) => (route.kind === 'parser' ? [route.definition] : []));

/** "PDF (application/pdf), HTML (text/html, ...), ...": what the unsupported-type error lists. */
export const supportedTypes: string = table.map(({ route, mimes }) => `${route.label} (${mimes.join(', ')})`).join('; ');

/** The route for a mime type (parameters such as `; charset=utf-8` ignored), falling back on the file name's extension for generic mimes. */
export function routeFor(mime: string, name: string | undefined): Route | undefined {
  const bare = mime.split(';')[0]!.trim().toLowerCase();
  const byMime = table.find((entry) => entry.mimes.includes(bare));
  if (byMime !== undefined) return byMime.route;
  if (genericMimes.has(bare) && name !== undefined) {
    const extension = path.extname(name).toLowerCase();
    const byExtension = table.find((entry) => entry.extensions.includes(extension));
    if (byExtension !== undefined) return byExtension.route;
  }
  // other text (text/x-python, application/ld+json, ...) passes through as text
  if (bare.startsWith('text/') || /\+(json|xml)$/.test(bare)) return { kind: 'text', label: 'plain text' };
  return undefined;
}
