import type { Span } from '../shared/segments.js';
import { codeLevels, packUnits, splitUnits, trimSpan } from '../shared/split-recursively.js';
import type { SymbolKind } from './languages.js';
import type { CodeSymbol } from './symbols.js';

export interface CodeChunk extends Span {
  kind: SymbolKind;
  /** The definition the chunk is (or is part of); absent for code between definitions. */
  symbol?: string;
  /** The definition that holds it: the class of a method. */
  parent?: string;
  /** Every definition wholly inside the chunk, qualified by its parents (`Greeter.greet`). */
  symbols: string[];
}

/** An oversized definition being cut: its own text between its members is chunked in its name. */
interface Owner {
  symbol: CodeSymbol;
  parent: string | undefined;
  qualified: string;
}

/** Code with nothing to name in it: a closing `}` or `};` of a class cut at its methods. */
const punctuationOnly = /^[\s{}()[\];,]*$/u;

/** The symbol and every definition inside it, qualified by their parents. */
function subtreeNames(symbol: CodeSymbol, qualified: string): string[] {
  return [qualified, ...symbol.children.flatMap((child) => subtreeNames(child, `${qualified}.${child.name}`))];
}

/**
 * Chunks of source code at definition boundaries: each definition that fits in `size` is one chunk
 * (with its leading comments); a larger one is cut at the definitions inside it (a class at its
 * methods), its own remaining text and anything still too long at blank lines, then lines; code
 * between definitions is packed into chunks up to `size`. A lone closing brace joins the chunk
 * before it. Chunks are trimmed; `text.slice(start, end)` is each chunk's text.
 */
export function chunkCode(text: string, symbols: readonly CodeSymbol[], size: number): CodeChunk[] {
  const chunks: CodeChunk[] = [];

  const push = (span: Span, chunk: Omit<CodeChunk, 'start' | 'end'>, glue: boolean) => {
    const trimmed = trimSpan(text, span);
    if (trimmed === undefined) return;
    const previous = chunks.at(-1);
    if (glue && previous && punctuationOnly.test(text.slice(trimmed.start, trimmed.end)) && trimmed.end - previous.start <= size) {
      previous.end = trimmed.end;
      return;
    }
    chunks.push({ ...trimmed, ...chunk });
  };

  const between = (span: Span, owner: Owner | undefined) => {
    if (span.end <= span.start) return;
    const chunk: Omit<CodeChunk, 'start' | 'end'> = owner
      ? { kind: owner.symbol.kind, symbol: owner.symbol.name, ...(owner.parent === undefined ? {} : { parent: owner.parent }), symbols: [] }
      : { kind: 'code', symbols: [] };
    for (const piece of packUnits(text, splitUnits(text, size, { span, levels: codeLevels }), { size, overlap: 0 })) {
      push(piece, chunk, true);
    }
  };

  const range = (span: Span, members: readonly CodeSymbol[], owner: Owner | undefined) => {
    let cursor = span.start;
    for (const symbol of members) {
      between({ start: cursor, end: symbol.start }, owner);
      const qualified = owner ? `${owner.qualified}.${symbol.name}` : symbol.receiver ? `${symbol.receiver}.${symbol.name}` : symbol.name;
      const trimmed = trimSpan(text, symbol);
      if (trimmed !== undefined && trimmed.end - trimmed.start <= size) {
        const parent = symbol.receiver ?? owner?.symbol.name;
        push(symbol, { kind: symbol.kind, symbol: symbol.name, ...(parent === undefined ? {} : { parent }), symbols: subtreeNames(symbol, qualified) }, false);
      } else range(symbol, symbol.children, { symbol, parent: symbol.receiver ?? owner?.symbol.name, qualified });
      cursor = symbol.end;
    }
    between({ start: cursor, end: span.end }, owner);
  };

  range({ start: 0, end: text.length }, symbols, undefined);
  return chunks;
}
