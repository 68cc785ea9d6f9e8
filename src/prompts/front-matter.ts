/**
 * The YAML subset prompt files use between `---` lines: `key: scalar` pairs and lists of
 * `key: scalar` maps (`arguments:` then `- name: goal` / `  required: true`). Anything else is an
 * error naming the line, rather than a guess.
 */

export class FrontMatterError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'FrontMatterError';
  }
}

export interface FrontMatterSplit {
  data: Record<string, unknown>;
  body: string;
}

type Scalar = string | number | boolean;
type ListEntry = Scalar | Record<string, Scalar>;

export function splitFrontMatter(source: string): FrontMatterSplit {
  const lines = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n');
  if (lines[0]?.trim() !== '---') return { data: {}, body: lines.join('\n').trim() };
  const end = lines.findIndex((line, index) => index > 0 && line.trim() === '---');
  if (end === -1) throw new FrontMatterError('front matter opened with --- is never closed', 1);
  return { data: parseMapping(lines.slice(1, end), 2), body: lines.slice(end + 1).join('\n').trim() };
}

const keyPattern = /^([A-Za-z_][A-Za-z0-9_-]*):(?:\s+(.*))?\s*$/;

function isBlank(line: string): boolean {
  const trimmed = line.trim();
  return trimmed === '' || trimmed.startsWith('#');
}

function parseMapping(lines: string[], firstLine: number): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  let index = 0;
  while (index < lines.length) {
    const line = lines[index]!;
    const lineNumber = firstLine + index;
    if (isBlank(line)) {
      index += 1;
      continue;
    }
    if (/^\s/.test(line)) throw new FrontMatterError('unexpected indentation', lineNumber);
    const match = keyPattern.exec(line);
    if (!match) throw new FrontMatterError(`expected "key: value", got "${line.trim()}"`, lineNumber);
    const key = match[1]!;
    if (Object.hasOwn(data, key)) throw new FrontMatterError(`"${key}" is given twice`, lineNumber);
    const rest = match[2]?.trim() ?? '';
    if (rest !== '') {
      data[key] = rest === '[]' ? [] : parseScalar(rest, lineNumber);
      index += 1;
      continue;
    }
    let next = index + 1;
    while (next < lines.length && (isBlank(lines[next]!) || /^[\s-]/.test(lines[next]!))) next += 1;
    data[key] = parseList(lines.slice(index + 1, next), lineNumber + 1);
    index = next;
  }
  return data;
}

function parseList(lines: string[], firstLine: number): ListEntry[] {
  const entries: ListEntry[] = [];
  let current: Record<string, Scalar> | undefined;
  let dashColumn = -1;
  lines.forEach((line, index) => {
    const lineNumber = firstLine + index;
    if (isBlank(line)) return;
    const column = line.length - line.trimStart().length;
    const text = line.trim();
    if (text === '-' || text.startsWith('- ')) {
      if (dashColumn !== -1 && column !== dashColumn) throw new FrontMatterError('list items must line up', lineNumber);
      dashColumn = column;
      const content = text.slice(1).trim();
      const pair = keyPattern.exec(content);
      if (pair) {
        current = {};
        entries.push(current);
        addPair(current, pair, lineNumber);
      } else {
        current = undefined;
        entries.push(parseScalar(content, lineNumber));
      }
      return;
    }
    const pair = keyPattern.exec(text);
    if (!current || column <= dashColumn || !pair) {
      throw new FrontMatterError(`expected a list item "- key: value" or a "key: value" under one, got "${text}"`, lineNumber);
    }
    addPair(current, pair, lineNumber);
  });
  return entries;
}

function addPair(target: Record<string, Scalar>, pair: RegExpExecArray, lineNumber: number): void {
  const key = pair[1]!;
  const rest = pair[2]?.trim() ?? '';
  if (rest === '') throw new FrontMatterError(`"${key}" needs a value on the same line (nested lists are not supported)`, lineNumber);
  if (Object.hasOwn(target, key)) throw new FrontMatterError(`"${key}" is given twice`, lineNumber);
  target[key] = parseScalar(rest, lineNumber);
}

function parseScalar(raw: string, lineNumber: number): Scalar {
  if (raw.startsWith('"')) {
    try {
      const value: unknown = JSON.parse(raw);
      if (typeof value === 'string') return value;
    } catch {
      // reported below with the line
    }
    throw new FrontMatterError(`unterminated or invalid double-quoted string ${raw}`, lineNumber);
  }
  if (raw.startsWith("'")) {
    if (raw.length < 2 || !raw.endsWith("'")) throw new FrontMatterError(`unterminated single-quoted string ${raw}`, lineNumber);
    return raw.slice(1, -1).replace(/''/g, "'");
  }
  const plain = raw.replace(/\s+#.*$/, '').trim();
  if (plain === 'true') return true;
  if (plain === 'false') return false;
  if (/^-?\d+(\.\d+)?$/.test(plain)) return Number(plain);
  if (/^[[{|>]/.test(plain)) throw new FrontMatterError(`flow collections and block scalars are not supported: ${plain}`, lineNumber);
  return plain;
}
