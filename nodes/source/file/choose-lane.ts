/** The lanes source.file can emit on. */
export type SourceLane = 'file' | 'image' | 'text' | 'audio' | 'video';

/** Images the image lane carries: what sharp (and so OCR) decodes. */
export const imageMimes: readonly string[] = ['image/png', 'image/jpeg', 'image/tiff', 'image/gif', 'image/webp'];

/** The lane that carries this mime natively; everything can also travel as a plain `file`. */
export function naturalLane(mime: string): SourceLane {
  if (imageMimes.includes(mime)) return 'image';
  if (isTextMime(mime)) return 'text';
  if (mime.startsWith('audio/')) return 'audio';
  if (mime.startsWith('video/')) return 'video';
  return 'file';
}

export function isTextMime(mime: string): boolean {
  return mime.startsWith('text/') || mime === 'application/json' || mime === 'application/xml' || /\+(json|xml)$/.test(mime);
}

/**
 * Converts on demand: the natural lane if downstream reads it, else `file` if downstream reads
 * that, else undefined (nothing downstream can take this input).
 */
export function chooseLane(mime: string, subscribed: ReadonlySet<SourceLane>): SourceLane | undefined {
  const natural = naturalLane(mime);
  if (subscribed.has(natural)) return natural;
  if (subscribed.has('file')) return 'file';
  return undefined;
}

/** One sentence of what to do when `chooseLane` found no lane. */
export function mismatchHint(mime: string, subscribed: ReadonlySet<SourceLane>): string {
  const natural = naturalLane(mime);
  const reads = (lane: SourceLane) => subscribed.has(lane);
  if (mime === 'application/pdf') {
    if (reads('image')) return 'Give an image (png, jpeg, tiff, gif, webp), or put parse.pdf (or parse.auto for any document) before OCR: it emits scanned pages on the image lane.';
    if (reads('text')) return 'Put parse.pdf (or parse.auto for any document) between the source and the node that reads text.';
  }
  if (natural === 'image' && reads('text')) return 'Insert an OCR node (ocr.tesseract) between the source and the node that reads text, or give a text file.';
  if (natural === 'text' && reads('image')) return 'OCR reads images: give a png, jpeg, tiff, gif or webp file, or connect this text to a node that reads the text lane.';
  if (natural === 'audio' && reads('text')) return 'Insert a speech-to-text node between the source and the node that reads text, or give a text file.';
  if (natural === 'video' && reads('image')) return 'Insert a frame-extraction node (video to image) between the source and the node that reads images.';
  const accepted = [...subscribed].map(describeLane).join('; ');
  return `Give an input downstream can read (${accepted || 'nothing reads this source'}), or insert a node that converts ${mime} into one of those lanes.`;
}

function describeLane(lane: SourceLane): string {
  switch (lane) {
    case 'image':
      return 'image: png, jpeg, tiff, gif, webp';
    case 'text':
      return 'text: plain text, markdown, html, csv, json';
    case 'audio':
      return 'audio: wav, mp3, ...';
    case 'video':
      return 'video: mp4, ...';
    case 'file':
      return 'file: any file';
  }
}

/** Lanes an input matching one of `accept` (mime patterns such as image/*) could travel on. */
export function lanesForAccept(accept: readonly string[]): SourceLane[] {
  const lanes = new Set<SourceLane>(['file']);
  for (const pattern of accept) {
    const [kind, subtype] = pattern.split('/') as [string, string];
    if (kind === '*') return ['file', 'image', 'text', 'audio', 'video'];
    if (kind === 'image' && (subtype === '*' || imageMimes.includes(pattern))) lanes.add('image');
    if (kind === 'audio') lanes.add('audio');
    if (kind === 'video') lanes.add('video');
    if (kind === 'text' || (kind === 'application' && (subtype === '*' || isTextMime(pattern)))) lanes.add('text');
  }
  return (['file', 'image', 'text', 'audio', 'video'] as const).filter((lane) => lanes.has(lane));
}

/** `image/*` matches image/png; `*\/*` matches all; otherwise exact (case-insensitive). */
export function mimeMatches(mime: string, pattern: string): boolean {
  const [kind, subtype] = pattern.toLowerCase().split('/');
  const [mimeKind, mimeSubtype] = mime.toLowerCase().split('/');
  return (kind === '*' || kind === mimeKind) && (subtype === '*' || subtype === mimeSubtype);
}
