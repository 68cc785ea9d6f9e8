import { z } from 'zod';
import { defineNode, PipelaneError, type NodeContext } from '../../../src/node-kit/index.js';
import { chooseLane, lanesForAccept, mimeMatches, mismatchHint, naturalLane, type SourceLane } from './choose-lane.js';
import { detectMime } from '../shared/detect-mime.js';
import { loadInput, type LoadedInput } from './read-input.js';

const mimePattern = /^(\*|[a-z0-9][a-z0-9.+-]*)\/(\*|[a-z0-9][a-z0-9.+-]*)$/i;

const config = z.object({
  maxBytes: z
    .number()
    .int()
    .positive()
    .default(50 * 1024 * 1024)
    .describe('Largest input accepted, in bytes (default 50 MiB); a larger file is refused before it is read'),
  accept: z
    .array(z.string().regex(mimePattern, 'must be a mime type or pattern such as image/png or image/*'))
    .min(1)
    .optional()
    .describe('Mime types or patterns (image/*, application/pdf) this source accepts; others are refused. Narrows the lanes it can emit'),
});

type Config = z.output<typeof config>;
type Context = NodeContext<never, SourceLane, Config>;

export default defineNode({
  type: 'source.file',
  title: 'File source',
  description:
    'Reads the run input (a file path, bytes or --text), detects its mime type from magic bytes and emits it on the lane downstream reads: image, text, audio, video or plain file.',
  inputs: [],
  outputs: ['file', 'image', 'text', 'audio', 'video'],
  config,
  outputsFor: (current) => (current.accept ? lanesForAccept(current.accept) : ['file', 'image', 'text', 'audio', 'video']),
  examples: [
    { title: 'Any file', config: {} },
    { title: 'Only images up to 10 MiB', config: { accept: ['image/*'], maxBytes: 10 * 1024 * 1024 } },
  ],
  async process(input, ctx) {
    const loaded = await loadInput(input, ctx.config.maxBytes, ctx.signal);
    const { mime, text } = loaded.literalText === undefined ? await detectMime(loaded.bytes, loaded.name) : { mime: 'text/plain', text: loaded.literalText };
    const claimed = claimedType(loaded.name, mime);
    if (ctx.config.accept && !ctx.config.accept.some((pattern) => mimeMatches(mime, pattern))) {
      throw new PipelaneError('INPUT_TYPE_NOT_ACCEPTED', `Input "${loaded.name}" is ${mime}, which this source does not accept (accept: ${ctx.config.accept.join(', ')}).${claimed}`, {
        hint: claimed
          ? 'The file is damaged or mislabelled: export or scan it again, or give the file it was meant to be.'
          : chooseLane(mime, ctx.subscribedLanes) === undefined
            ? mismatchHint(mime, ctx.subscribedLanes)
            : `Give a file of an accepted type, or add "${mime}" to the source's accept config.`,
        path: '/config/accept',
      });
    }
    const lane = chooseLane(mime, ctx.subscribedLanes);
    if (lane === undefined) {
      const reads = [...ctx.subscribedLanes].join(', ') || 'nothing';
      throw new PipelaneError(
        'INPUT_LANE_MISMATCH',
        `Input "${loaded.name}" is ${mime}, which source.file can emit as ${describeLanes(mime)}, but downstream reads only: ${reads}.`,
        { hint: mismatchHint(mime, ctx.subscribedLanes), details: { mime, lanes: [...ctx.subscribedLanes] } },
      );
    }
    ctx.setAttributes({ 'input.mime': mime, 'input.size': loaded.bytes.byteLength, 'input.lane': lane });
    await emitOn(lane, loaded, mime, text, ctx);
  },
});

/** A sentence when the name promises a type the bytes do not have (random bytes named .png). */
function claimedType(name: string, mime: string): string {
  const extension = /\.([a-z0-9]{2,5})$/i.exec(name)?.[1]?.toLowerCase();
  if (mime !== 'application/octet-stream' || !extension) return '';
  return ` Its name ends in .${extension}, but its bytes are not a readable .${extension} file: damaged, cut short, or another type we do not recognise.`;
}

async function emitOn(lane: SourceLane, loaded: LoadedInput, mime: string, text: string | undefined, ctx: Context): Promise<void> {
  const size = loaded.bytes.byteLength;
  const meta = { source: loaded.name, size };
  switch (lane) {
    case 'text':
      return ctx.emit('text', { text: text ?? '', meta: { ...meta, mime } });
    case 'image':
      return ctx.emit('image', { bytes: loaded.bytes, mime, ...(await imageSize(loaded.bytes)), meta });
    case 'audio':
      return ctx.emit('audio', { bytes: loaded.bytes, ...pathOf(loaded), mime, meta });
    case 'video':
      return ctx.emit('video', { bytes: loaded.bytes, ...pathOf(loaded), mime, meta });
    case 'file':
      return ctx.emit('file', { name: loaded.name, mime, bytes: loaded.bytes, ...pathOf(loaded), size, meta });
  }
}

function pathOf(loaded: LoadedInput): { path?: string } {
  return loaded.path === undefined ? {} : { path: loaded.path };
}

/** Width and height from the image header; omitted when sharp cannot read it (OCR then reports why). */
async function imageSize(bytes: Uint8Array): Promise<{ width?: number; height?: number }> {
  // loaded on first use: keeps `pipelane mcp` start-up under 1 s
  const { default: sharp } = await import('sharp');
  try {
    const { width, height } = await sharp(bytes).metadata();
    return width > 0 && height > 0 ? { width, height } : {};
  } catch {
    return {};
  }
}

function describeLanes(mime: string): string {
  const natural = naturalLane(mime);
  return natural === 'file' ? 'file only' : `${natural} or file`;
}

