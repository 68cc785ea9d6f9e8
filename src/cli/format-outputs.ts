import { toJsonSafe } from '../engine/index.js';

/** A readable rendering of run outputs for people; `--json` is for programs. */
export function formatOutputs(outputs: Record<string, unknown[]>): string {
  const lines: string[] = [];
  for (const [name, items] of Object.entries(outputs)) {
    const documents = items.every(Array.isArray) ? items.reduce((count: number, item) => count + (item as unknown[]).length, 0) : undefined;
    const count = documents !== undefined ? `${documents} document${documents === 1 ? '' : 's'}` : `${items.length} item${items.length === 1 ? '' : 's'}`;
    lines.push(`── ${name} (${count}) ──`);
    for (const item of items) lines.push(...formatItem(item));
  }
  return lines.join('\n') + '\n';
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
