import sharp from 'sharp';

/** tesseract's own test page (640×480, 200 dpi, nine lines of 12-point text; Apache-2.0, test/fixtures/ocr). */
export const phototest = new URL('../test/fixtures/ocr/phototest.tif', import.meta.url).pathname;

export const animals = [
  'zebra', 'walrus', 'falcon', 'badger', 'otter', 'lemur', 'bison', 'heron', 'gecko', 'koala',
  'llama', 'panda', 'moose', 'raven', 'tiger', 'camel', 'hyena', 'squid', 'viper', 'whale',
];

/**
 * phototest.tif with a few more lines drawn in a white band below it, so every page is a
 * real scan and still different from the others (what a crosstalk check needs).
 */
export async function phototestWithLines(lines: readonly string[]): Promise<Buffer> {
  const base = await sharp(phototest).greyscale().png().toBuffer();
  const { width = 640, height = 480 } = await sharp(base).metadata();
  const lineHeight = 38;
  const band = 30 + lines.length * lineHeight;
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const texts = lines.map((line, index) => `<text x="36" y="${34 + index * lineHeight}" font-family="DejaVu Sans" font-size="26">${escape(line)}</text>`);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${band}"><rect width="100%" height="100%" fill="white"/>${texts.join('')}</svg>`;
  return sharp({ create: { width, height: height + band, channels: 3, background: '#ffffff' } })
    .composite([
      { input: base, top: 0, left: 0 },
      { input: Buffer.from(svg), top: height, left: 0 },
    ])
    .greyscale()
    .png()
    .toBuffer();
}
