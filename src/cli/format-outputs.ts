import { toJsonSafe } from '../engine/index.js';

/** A readable rendering of run outputs for people; `--json` is for programs. */
export function formatOutputs(outputs: Record<string, unknown[]>): string {
  const lines: string[] = [];
  for (const [name, items] of Object.entries(outputs)) {
    lines.push(`── ${name} (${countOf(items)}) ──`);
    for (const item of items) lines.push(...formatItem(item));
  }
  return lines.join('\n') + '\n';
}

/** What a person counts: documents in document lists, entities found in entities items, items otherwise. */
function countOf(items: readonly unknown[]): string {
  const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;
  if (items.length > 0 && items.every(Array.isArray)) return plural(items.reduce((count: number, item) => count + (item as unknown[]).length, 0), 'document');
  const entities = items.map((item) => (item as { entities?: unknown } | null)?.entities);
  if (items.length > 0 && entities.every(Array.isArray)) return plural(entities.reduce((count: number, list) => count + (list as unknown[]).length, 0), 'entity', 'entities');
  return plural(items.length, 'item');
}

function formatItem(item: unknown): string[] {
  if (Array.isArray(item)) {
    return item.flatMap((entry, index) => {
      const document = entry as { id?: string; text?: string; metadata?: { start?: number; end?: number } };
      if (typeof document.text !== 'string') return [JSON.stringify(toJsonSafe(entry))];
      const span = document.metadata?.start !== undefined ? ` [${document.metadata.start}–${document.metadata.end}]` : '';
      return [`#${index + 1} ${document.id ?? ''}${span}`, indent(document.text), ''];
    });
  }
  const record = item as { text?: string; entities?: Array<{ type: string; text?: string; start: number; end: number; score: number }> };
  if (Array.isArray(record?.entities)) {
    return record.entities.map((entity) => `  ${entity.type.padEnd(14)} ${JSON.stringify(entity.text ?? '')} at ${entity.start}–${entity.end} (score ${entity.score.toFixed(2)})`);
  }
  if (typeof record?.text === 'string') return [indent(record.text)];
  return [JSON.stringify(toJsonSafe(item), null, 2)];
}

function indent(text: string): string {
  return text.split('\n').map((line) => `   ${line}`).join('\n');
}
