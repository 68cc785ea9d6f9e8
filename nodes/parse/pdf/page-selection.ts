import { z } from 'zod';

const rangePattern = /^\s*\d+\s*(-\s*\d*\s*)?(,\s*\d+\s*(-\s*\d*\s*)?)*$/;

/** `pages` config: a list of page numbers, or ranges in a string ("1-3,5,10-"). */
export const pageSelectionSchema = z
  .union([
    z.array(z.number().int().min(1)).min(1),
    z
      .string()
      .regex(rangePattern, 'must be page numbers and ranges such as "1-3,5,10-"')
      .refine((value) => parseRanges(value).every((range) => range.to === undefined || range.from <= range.to), {
        message: 'a range must not end before it starts ("5-3")',
      })
      .refine((value) => parseRanges(value).every((range) => range.from >= 1), { message: 'pages are numbered from 1' }),
  ])
  .describe('Pages to read, numbered from 1: a list such as [1, 3] or ranges such as "1-3,5,10-" ("10-" runs to the last page); default all pages');

export type PageSelection = z.output<typeof pageSelectionSchema>;

interface Range {
  from: number;
  /** Undefined: to the last page. */
  to: number | undefined;
}

function parseRanges(value: string): Range[] {
  return value.split(',').map((part) => {
    const [from, to] = part.split('-').map((piece) => piece.trim());
    const start = Number(from);
    if (to === undefined) return { from: start, to: start };
    return { from: start, to: to === '' ? undefined : Number(to) };
  });
}

/**
 * The selected pages that exist, ascending and without repeats, and the requested pages beyond
 * the document's end, described for a warning ("20-25") or empty.
 */
export function selectPages(selection: PageSelection | undefined, pageCount: number): { pages: number[]; missing: string } {
  if (selection === undefined) return { pages: Array.from({ length: pageCount }, (_, index) => index + 1), missing: '' };
  const wanted = new Set<number>();
  const missing: string[] = [];
  const ranges: Range[] = Array.isArray(selection) ? selection.map((page) => ({ from: page, to: page })) : parseRanges(selection);
  for (const { from, to } of ranges) {
    const last = to ?? pageCount;
    for (let page = from; page <= Math.min(last, pageCount); page += 1) wanted.add(page);
    if (to !== undefined && to > pageCount) missing.push(rangeText(Math.max(from, pageCount + 1), to));
    if (to === undefined && from > pageCount) missing.push(`${from}-`);
  }
  return { pages: [...wanted].sort((a, b) => a - b), missing: missing.join(', ') };
}

function rangeText(from: number, to: number): string {
  return from === to ? `${from}` : `${from}-${to}`;
}

/** "3, 7-9" for a warning. */
export function describePages(pages: readonly number[]): string {
  const parts: string[] = [];
  let index = 0;
  while (index < pages.length) {
    let end = index;
    while (end + 1 < pages.length && pages[end + 1] === pages[end]! + 1) end += 1;
    parts.push(rangeText(pages[index]!, pages[end]!));
    index = end + 1;
  }
  return parts.join(', ');
}
