export type FrontMatterValue = string | number | boolean | null | FrontMatterValue[] | { [key: string]: FrontMatterValue };

export interface FrontMatter {
  /** What the block says, as far as the YAML subset below reads it. */
  data: Record<string, FrontMatterValue>;
  /** Lines (1-based, counted in the block) this reader could not understand. */
  unreadLines: number[];
  /** Characters the block takes at the start of the document, closing line included. */
  length: number;
}

/**
 * Splits YAML front matter (`---` on the first line, closed by `---` or `...`) from a markdown
 * document. Reads the YAML people write in front matter: `key: value` scalars (quoted or not,
 * numbers, booleans, null), `[a, b]` lists, `- item` lists, nested maps by indentation and `|` /
 * `>` block text. Anything else is reported in `unreadLines` instead of guessed.
 */
export function splitFrontMatter(document: string): FrontMatter | undefined {
  const opening = /^---[ \t]*\r?\n/.exec(document);
  if (opening === null) return undefined;
  const closing = /^(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/m;
  const rest = document.slice(opening[0].length);
  const match = closing.exec(rest);
  if (match === null) return undefined;
  const block = rest.slice(0, match.index);
  const reader = new BlockReader(block.split(/\r?\n/).slice(0, block.endsWith('\n') ? -1 : undefined));
  const data = reader.readMap(0);
  return { data, unreadLines: reader.unread, length: opening[0].length + match.index + match[0].length };
}

class BlockReader {
  index = 0;
  readonly unread: number[] = [];

  constructor(private readonly lines: string[]) {}

  /** Key-value lines at exactly `indent` spaces, with their nested blocks. */
  readMap(indent: number): Record<string, FrontMatterValue> {
    const map: Record<string, FrontMatterValue> = {};
    while (this.skipBlank()) {
      const line = this.lines[this.index]!;
      const lineIndent = indentOf(line);
      if (lineIndent < indent) break;
      const pair = /^([^:#\s][^:]*?|"[^"]*"|'[^']*'):(?:\s+(.*))?$/.exec(line.slice(lineIndent));
      if (lineIndent > indent || pair === null) {
        this.unread.push(this.index + 1);
        this.index += 1;
        continue;
      }
      this.index += 1;
      const key = unquote(pair[1]!.trim());
      const rawValue = stripComment(pair[2] ?? '');
      map[key] = this.readValue(rawValue, indent);
    }
    return map;
  }

  private readValue(rawValue: string, indent: number): FrontMatterValue {
    if (rawValue === '|' || rawValue === '>' || /^[|>][-+]?$/.test(rawValue)) return this.readBlockText(rawValue.startsWith('>'), indent);
    if (rawValue !== '') return scalarOrInlineList(rawValue);
    if (!this.skipBlank()) return null;
    const next = this.lines[this.index]!;
    const nextIndent = indentOf(next);
    if (next.slice(nextIndent).startsWith('- ') || next.trim() === '-') {
      if (nextIndent >= indent) return this.readList(nextIndent);
    }
    if (nextIndent > indent) return this.readMap(nextIndent);
    return null;
  }

  private readList(indent: number): FrontMatterValue[] {
    const list: FrontMatterValue[] = [];
    while (this.skipBlank()) {
      const line = this.lines[this.index]!;
      if (indentOf(line) !== indent || !/^-(\s|$)/.test(line.slice(indent))) break;
      this.index += 1;
      const item = stripComment(line.slice(indent + 1).trim());
      if (/^[^:\s"'[][^:]*:(\s|$)/.test(item)) {
        this.unread.push(this.index); // a map inside a list: beyond this reader
        list.push(item);
      } else list.push(item === '' ? null : scalarOrInlineList(item));
    }
    return list;
  }

  private readBlockText(folded: boolean, indent: number): string {
    const collected: string[] = [];
    let blockIndent: number | undefined;
    while (this.index < this.lines.length) {
      const line = this.lines[this.index]!;
      if (line.trim() !== '') {
        const lineIndent = indentOf(line);
        if (lineIndent <= indent) break;
        blockIndent ??= lineIndent;
      }
      collected.push(line.slice(blockIndent ?? 0));
      this.index += 1;
    }
    while (collected.length > 0 && collected.at(-1)!.trim() === '') collected.pop();
    return folded ? collected.join(' ').replace(/\s+/g, ' ').trim() : collected.join('\n');
  }

  /** Moves past blank and comment lines; false at the end. */
  private skipBlank(): boolean {
    while (this.index < this.lines.length && /^\s*(#.*)?$/.test(this.lines[this.index]!)) this.index += 1;
    return this.index < this.lines.length;
  }
}

function indentOf(line: string): number {
  return /^ */.exec(line)![0].length;
}

/** The value without a trailing `# comment`; a quoted value ends at its closing quote. */
function stripComment(value: string): string {
  const quoted = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*')\s*(#.*)?$/.exec(value.trim());
  if (quoted !== null) return quoted[1]!;
  return value.replace(/(^|\s+)#.*$/, '').trim();
}

function unquote(value: string): string {
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    return value.slice(1, -1).replace(/\\(["\\nt])/g, (_match, escaped: string) => ({ n: '\n', t: '\t' })[escaped] ?? escaped);
  }
  if (value.length >= 2 && value.startsWith("'") && value.endsWith("'")) return value.slice(1, -1).replace(/''/g, "'");
  return value;
}

function scalarOrInlineList(value: string): FrontMatterValue {
  if (value.startsWith('[') && value.endsWith(']')) {
    const inner = value.slice(1, -1).trim();
    return inner === '' ? [] : splitOutsideQuotes(inner).map((item) => scalar(item.trim()));
  }
  return scalar(value);
}

function scalar(value: string): FrontMatterValue {
  if (value.startsWith('"') || value.startsWith("'")) return unquote(value);
  if (/^(null|~)$/i.test(value)) return null;
  if (/^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  if (/^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(value) && !/^[-+]?0\d/.test(value)) return Number(value);
  return value; // dates and versions such as 2024-03-15 or 1.2.3 stay text
}

function splitOutsideQuotes(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (const character of text) {
    if (quote !== undefined) {
      if (character === quote) quote = undefined;
    } else if (character === '"' || character === "'") quote = character;
    else if (character === ',') {
      parts.push(current);
      current = '';
      continue;
    }
    current += character;
  }
  parts.push(current);
  return parts;
}
