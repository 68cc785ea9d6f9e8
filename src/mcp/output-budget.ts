import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { ContentBlock } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';

/**
 * Results over the output budget. A run result whose text would exceed the budget keeps a preview of
 * each large output (its first items, long strings and arrays cut) and the full output goes to a file
 * `<outputs dir>/<runId>/<name>.json` (default: `outputs/` next to the trace store, so it survives the
 * request and the server, like the trace). The result links to it as `pipelane://runs/{runId}/outputs/{name}`,
 * and resources/read serves it in pages of whole items (`?page=N`, from 1) that each fit the budget.
 * What is stored is what the result would have held: JSON-safe (bytes as {"$bytes": n}, embeddings as
 * {"$embedding": dimensions}) and with secrets masked.
 */

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
const OUTPUT_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
/** Part of the budget that previews may take together; the rest is left for the other fields. */
const PREVIEW_SHARE = 0.6;
/** Entries of an array inside a preview item before it is cut. */
const PREVIEW_ARRAY_ENTRIES = 10;

export const truncatedOutputSchema = z.object({
  output: z.string().describe('Name of the output ("as") that was cut'),
  uri: z.string().describe('pipelane://runs/{runId}/outputs/{name}: read it with resources/read, ?page=N for page N'),
  items: z.number().int().describe('Items in the whole output'),
  shown: z.number().int().describe('Items in the preview here'),
  pages: z.number().int().describe('Pages resources/read serves'),
});
export type TruncatedOutput = z.output<typeof truncatedOutputSchema>;

export function outputUri(runId: string, name: string, page?: number): string {
  return `pipelane://runs/${encodeURIComponent(runId)}/outputs/${encodeURIComponent(name)}${page !== undefined && page > 1 ? `?page=${page}` : ''}`;
}

export interface StoredOutput {
  runId: string;
  output: string;
}

/** Full outputs of runs whose results were cut, one JSON file per (run, output). */
export interface OutputStore {
  readonly dir: string;
  save(runId: string, name: string, items: unknown[]): Promise<void>;
  /** The items, or undefined when nothing was stored for this run and output. */
  read(runId: string, name: string): Promise<unknown[] | undefined>;
  /** Stored outputs (at most `limit`). */
  list(limit: number): Promise<StoredOutput[]>;
}

export function isStorableName(runId: string, name: string): boolean {
  return RUN_ID.test(runId) && OUTPUT_NAME.test(name);
}

export function createOutputStore(dir: string): OutputStore {
  const fileOf = (runId: string, name: string) => {
    // Both parts come from URIs: checked before any path is built, so none can leave the folder.
    if (!isStorableName(runId, name)) throw new Error(`not a stored output: ${runId}/${name}`);
    return join(dir, runId, `${name}.json`);
  };
  return {
    dir,
    async save(runId, name, items) {
      const file = fileOf(runId, name);
      await mkdir(join(dir, runId), { recursive: true });
      const temporary = `${file}.${randomUUID()}.tmp`;
      try {
        await writeFile(temporary, JSON.stringify(items), 'utf8');
        await rename(temporary, file);
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
    },
    async read(runId, name) {
      if (!isStorableName(runId, name)) return undefined;
      try {
        return JSON.parse(await readFile(fileOf(runId, name), 'utf8')) as unknown[];
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    async list(limit) {
      const runs = await readdir(dir, { withFileTypes: true }).catch(() => []);
      const found: StoredOutput[] = [];
      for (const entry of runs) {
        if (!entry.isDirectory() || !RUN_ID.test(entry.name)) continue;
        const files = await readdir(join(dir, entry.name), { withFileTypes: true }).catch(() => []);
        for (const file of files) {
          const name = file.name.endsWith('.json') ? file.name.slice(0, -5) : '';
          if (file.isFile() && OUTPUT_NAME.test(name)) found.push({ runId: entry.name, output: name });
          if (found.length >= limit) return found;
        }
      }
      return found;
    },
  };
}

const measure = (value: unknown) => JSON.stringify(value, null, 2)?.length ?? 0;

/** Characters a page spends on its envelope ({runId, output, page, pages, ..., next}). */
const PAGE_ENVELOPE = 400;

/**
 * Splits items into pages of whole items whose compact JSON, with the page envelope, fits
 * `pageChars` (an item larger than that is a page alone). Pages are served as compact JSON.
 */
export function paginate(items: readonly unknown[], pageChars: number): unknown[][] {
  const room = Math.max(1, pageChars - PAGE_ENVELOPE);
  const pages: unknown[][] = [];
  let current: unknown[] = [];
  let used = 0;
  for (const item of items) {
    const size = (JSON.stringify(item)?.length ?? 4) + 1;
    if (current.length > 0 && used + size > room) {
      pages.push(current);
      current = [];
      used = 0;
    }
    current.push(item);
    used += size;
  }
  if (current.length > 0 || pages.length === 0) pages.push(current);
  return pages;
}

/** A copy with strings over `maxChars` and arrays over PREVIEW_ARRAY_ENTRIES cut, saying how much was cut. */
export function cutValue(value: unknown, maxChars: number): unknown {
  if (typeof value === 'string') return value.length > maxChars ? `${value.slice(0, maxChars)}… [cut: ${value.length - maxChars} more characters]` : value;
  if (Array.isArray(value)) {
    const head = value.slice(0, PREVIEW_ARRAY_ENTRIES).map((entry) => cutValue(entry, maxChars));
    return value.length > PREVIEW_ARRAY_ENTRIES ? [...head, `… [cut: ${value.length - PREVIEW_ARRAY_ENTRIES} more entries]`] : head;
  }
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, cutValue(entry, maxChars)]));
  return value;
}

/** The first items of an output, each cut, that fit `share` characters (at least one item). */
export function previewItems(items: readonly unknown[], share: number): unknown[] {
  const maxString = Math.max(200, Math.floor(share / 4));
  const preview: unknown[] = [];
  let used = 0;
  for (const item of items) {
    const cut = cutValue(item, maxString);
    const size = measure(cut);
    if (preview.length > 0 && used + size > share) break;
    preview.push(size > share ? cutValue(item, Math.max(80, Math.floor(maxString / 8))) : cut);
    used += size;
    if (used >= share) break;
  }
  return preview;
}

export interface BudgetedResult {
  structured: Record<string, unknown>;
  links: ContentBlock[];
}

/**
 * Keeps a run result within `budget` characters of text: when its JSON is larger, every output over
 * its share is stored whole and replaced by a preview, and the result gains `truncated` (what was cut,
 * where to read it) plus one resource_link content item per cut output.
 */
export async function applyOutputBudget(
  structured: Record<string, unknown> & { runId: string; outputs: Record<string, unknown[]> },
  options: { budget: number; store: OutputStore },
): Promise<BudgetedResult> {
  if (measure(structured) <= options.budget) return { structured, links: [] };
  const { runId, outputs } = structured;
  const names = Object.keys(outputs).sort((left, right) => measure(outputs[right]) - measure(outputs[left]));
  // Previews sit deeper in the result than they are measured, and `truncated` adds to it: when the
  // answer is still over, halve the shares and cut again.
  let share = Math.max(250, Math.floor((options.budget * PREVIEW_SHARE) / Math.max(1, names.length)));
  let cut = cutOutputs(structured, names, share, options.budget);
  while (measure(cut.structured) > options.budget && share > 250) {
    share = Math.max(250, Math.floor(share / 2));
    cut = cutOutputs(structured, names, share, options.budget);
  }
  for (const entry of cut.truncated) await options.store.save(runId, entry.output, outputs[entry.output]!);
  const links: ContentBlock[] = cut.truncated.map((entry) => ({
    type: 'resource_link',
    uri: entry.uri,
    name: entry.output,
    title: `Output "${entry.output}" of run ${runId}`,
    mimeType: 'application/json',
    description: `All ${entry.items} items of output "${entry.output}" (the result shows the first ${entry.shown}, cut) in ${entry.pages} page(s): resources/read ${entry.uri}, then ${outputUri(runId, entry.output, 2)} and so on.`,
  }));
  return { structured: cut.structured, links };
}

function cutOutputs(
  structured: Record<string, unknown> & { runId: string; outputs: Record<string, unknown[]> },
  names: string[],
  share: number,
  budget: number,
): { structured: Record<string, unknown>; truncated: TruncatedOutput[] } {
  const { runId, outputs } = structured;
  const previews: Record<string, unknown[]> = { ...outputs };
  const truncated: TruncatedOutput[] = [];
  for (const name of names) {
    const items = outputs[name]!;
    if (measure(items) <= share || !isStorableName(runId, name)) continue;
    previews[name] = previewItems(items, share);
    truncated.push({ output: name, uri: outputUri(runId, name), items: items.length, shown: previews[name]!.length, pages: paginate(items, budget).length });
  }
  return { structured: { ...structured, outputs: previews, ...(truncated.length > 0 ? { truncated } : {}) }, truncated };
}
