/**
 * Generates the demo input in `samples/`:
 *
 *   samples/scanned-invoice.png  - a synthetic, scanned-looking one-page invoice
 *   samples/scanned-invoice.txt  - the exact ground-truth text of that page
 *
 * Both files are produced from the same data (`LAYOUT` below), so they can
 * never disagree. The output is deterministic: no Math.random, no clock, a
 * seeded PRNG for the scan noise, fixed dates and numbers.
 *
 * Run with `npm run samples`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

// ---------------------------------------------------------------------------
// Page geometry: A4 at 200 DPI (210 mm x 297 mm).
// ---------------------------------------------------------------------------
const DPI = 200;
const PAGE_W = 1654;
const PAGE_H = 2339;
const MARGIN_X = 130;
const RIGHT_X = PAGE_W - MARGIN_X;
const TOP_Y = 150;

const SANS = "'DejaVu Sans', sans-serif";
const SERIF = "'DejaVu Serif', serif";

/** Scan simulation parameters. */
const SCAN = {
  seed: 0x5eed_2024,
  rotationDeg: 0.35, // slight skew, well under 0.7 degrees
  blurSigma: 0.5,
  paper: 243, // off-white paper tone (0-255)
  ink: 28, // darkest ink tone; real toner is never pure black
  grain: 3, // amplitude of paper grain (+/- levels)
  specks: 1400, // number of dark dust specks
  blotches: 60, // number of faint larger marks
  inkClearance: 24, // specks/blotches stay this many px away from any ink
} as const;

// ---------------------------------------------------------------------------
// Document content. The PII values below are listed in samples/README.md.
// ---------------------------------------------------------------------------
const PII = {
  name: 'Jane Doe',
  street: '1200 Market Street, Apt 5B',
  city: 'San Francisco, CA 94102',
  country: 'United States',
  email: 'jane.doe@example.com',
  phone: '+1 415-555-0132',
  card: '4111 1111 1111 1111',
  iban: 'DE89 3704 0044 0532 0130 00',
} as const;

const COMPANY = {
  name: 'Lindenblatt Office Supplies GmbH',
  address: 'Hafenstrasse 12, 20457 Hamburg, Germany',
  web: 'www.lindenblatt.example.org',
  bic: 'COBADEFFXXX',
  register: 'Registered at Amtsgericht Hamburg, HRB 104512',
};

const INVOICE = {
  number: 'INV-2024-0815',
  date: '14 March 2024',
  due: '13 April 2024',
  customerId: 'C-30417',
};

interface Item {
  description: string;
  qty: number;
  unitCents: number;
}

const ITEMS: Item[] = [
  { description: 'Recycled copy paper A4, 500 sheets', qty: 10, unitCents: 590 },
  { description: 'Ballpoint pens, blue, box of 50', qty: 2, unitCents: 1250 },
  { description: 'Archive boxes, cardboard', qty: 5, unitCents: 380 },
  { description: 'Desk organizer, bamboo', qty: 1, unitCents: 2490 },
];

const VAT_PERCENT = 19;

const PARAGRAPHS: string[] = [
  'Payment terms: please pay the total amount within 30 days of the invoice date by bank ' +
    'transfer to the account shown above, quoting the invoice number as the payment reference. ' +
    'If you have authorised us to charge the card on file, the amount will be collected on the ' +
    'due date and no further action is required on your part.',
  'Late payments may incur interest at the statutory rate. If you believe this invoice contains ' +
    'an error, please contact our accounts team before the due date so that we can issue a ' +
    'corrected invoice or a credit note. Goods remain our property until the invoice has been ' +
    'paid in full.',
  'Thank you for ordering from Lindenblatt Office Supplies. We deliver recycled and responsibly ' +
    'sourced office products across Europe and North America. For questions about this order, ' +
    'reply to the confirmation e-mail we sent to you or call our customer service line during ' +
    'business hours, Monday to Friday.',
];

// ---------------------------------------------------------------------------
// Layout model: a page is a list of rows; a row is one or more text cells on
// the same baseline. Ground truth = cells of each row joined by one space.
// ---------------------------------------------------------------------------
interface Cell {
  text: string;
  x: number;
  anchor?: 'start' | 'end';
  font?: string;
  size?: number;
  bold?: boolean;
}

interface Row {
  y: number; // baseline
  cells: Cell[];
  rule?: { y: number; x1: number; x2: number; width: number }[];
}

function money(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Greedy word wrap by character count (DejaVu Serif at 28 px on a 1394 px measure). */
function wrap(text: string, maxChars: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line === '') line = word;
    else if (line.length + 1 + word.length <= maxChars) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

function buildLayout(): Row[] {
  const rows: Row[] = [];
  let y = TOP_Y;
  const body = { font: SANS, size: 28 };
  const lh = 41; // body line height
  const line = (cells: Cell[], advance = lh, rule?: Row['rule']): void => {
    rows.push(rule ? { y, cells, rule } : { y, cells });
    y += advance;
  };
  const text = (t: string, extra: Partial<Cell> = {}): Cell => ({ text: t, x: MARGIN_X, ...body, ...extra });

  // Letterhead.
  line([text(COMPANY.name, { size: 40, bold: true })], 50);
  line([text(COMPANY.address, { size: 26 })], 36);
  line([text(COMPANY.web, { size: 26 })], 36, [{ y: y + 20, x1: MARGIN_X, x2: RIGHT_X, width: 3 }]);
  y += 46;

  // Invoice meta.
  line([text('INVOICE', { size: 40, bold: true })], 52);
  line([text(`Invoice number: ${INVOICE.number}`)]);
  line([text(`Invoice date: ${INVOICE.date}`)]);
  line([text(`Due date: ${INVOICE.due}`)]);
  line([text(`Customer ID: ${INVOICE.customerId}`)]);
  y += 24;

  // Bill-to block.
  line([text('Bill to:', { bold: true })]);
  line([text(PII.name)]);
  line([text(PII.street)]);
  line([text(PII.city)]);
  line([text(PII.country)]);
  line([text(`E-mail: ${PII.email}`)]);
  line([text(`Phone: ${PII.phone}`)]);
  y += 30;

  // Line items.
  const colQty = 1010;
  const colUnit = 1260;
  const colAmount = RIGHT_X;
  const tableRule = (offset: number, width = 2): NonNullable<Row['rule']>[number] => ({
    y: y + offset,
    x1: MARGIN_X,
    x2: RIGHT_X,
    width,
  });
  line(
    [
      text('Description', { bold: true }),
      text('Qty', { bold: true, x: colQty, anchor: 'end' }),
      text('Unit price', { bold: true, x: colUnit, anchor: 'end' }),
      text('Amount (EUR)', { bold: true, x: colAmount, anchor: 'end' }),
    ],
    46,
    [tableRule(14)],
  );
  let subtotal = 0;
  for (const item of ITEMS) {
    const amount = item.qty * item.unitCents;
    subtotal += amount;
    line([
      text(item.description),
      text(String(item.qty), { x: colQty, anchor: 'end' }),
      text(money(item.unitCents), { x: colUnit, anchor: 'end' }),
      text(money(amount), { x: colAmount, anchor: 'end' }),
    ]);
  }
  const vat = Math.round((subtotal * VAT_PERCENT) / 100);
  const total = subtotal + vat;
  rows[rows.length - 1]!.rule = [tableRule(-lh + 14)];
  y += 8;
  const labelX = colUnit;
  line([text('Subtotal', { x: labelX, anchor: 'end' }), text(money(subtotal), { x: colAmount, anchor: 'end' })]);
  line([
    text(`VAT ${VAT_PERCENT}%`, { x: labelX, anchor: 'end' }),
    text(money(vat), { x: colAmount, anchor: 'end' }),
  ]);
  line([
    text('Total due (EUR)', { x: labelX, anchor: 'end', bold: true }),
    text(money(total), { x: colAmount, anchor: 'end', bold: true }),
  ]);
  y += 30;

  // Payment details.
  line([text('Payment details', { bold: true })]);
  line([text(`Card on file: ${PII.card}`)]);
  line([text(`Bank transfer to IBAN: ${PII.iban}`)]);
  line([text(`BIC: ${COMPANY.bic}`)]);
  y += 30;

  // Prose (payment terms).
  const prose = { font: SERIF, size: 28 };
  for (const [i, para] of PARAGRAPHS.entries()) {
    for (const l of wrap(para, 84)) line([text(l, prose)], 40);
    if (i < PARAGRAPHS.length - 1) y += 22;
  }

  // Footer.
  y = Math.max(y + 40, PAGE_H - 120);
  line([text(`${COMPANY.register}. Page 1 of 1`, { size: 22 })]);

  if (y > PAGE_H - 60) throw new Error(`layout overflows the page (y=${y})`);
  return rows;
}

function groundTruth(rows: Row[]): string {
  return rows.map((r) => r.cells.map((c) => c.text).join(' ')).join('\n') + '\n';
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function toSvg(rows: Row[]): string {
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${PAGE_W}" height="${PAGE_H}" viewBox="0 0 ${PAGE_W} ${PAGE_H}">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
  );
  for (const row of rows) {
    for (const c of row.cells) {
      parts.push(
        `<text x="${c.x}" y="${row.y}" font-family="${c.font ?? SANS}" font-size="${c.size ?? 28}"` +
          ` font-weight="${c.bold ? 'bold' : 'normal'}" text-anchor="${c.anchor ?? 'start'}"` +
          ` fill="#000000">${escapeXml(c.text)}</text>`,
      );
    }
    for (const r of row.rule ?? []) {
      parts.push(
        `<line x1="${r.x1}" y1="${r.y}" x2="${r.x2}" y2="${r.y}" stroke="#000000" stroke-width="${r.width}"/>`,
      );
    }
  }
  parts.push('</svg>');
  return parts.join('\n');
}

// ---------------------------------------------------------------------------
// Scan simulation.
// ---------------------------------------------------------------------------

/** mulberry32: tiny, well-known, seedable 32-bit PRNG. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function scan(svg: string, rows: Row[]): Promise<Buffer> {
  // 1. Rasterise, grayscale, rotate slightly on a white background, crop back to page size.
  const rotated = await sharp(Buffer.from(svg), { density: 72 })
    .flatten({ background: '#ffffff' })
    .grayscale()
    .rotate(SCAN.rotationDeg, { background: '#ffffff' })
    .png()
    .toBuffer({ resolveWithObject: true });
  const { width: rw, height: rh } = rotated.info;
  const left = Math.floor((rw - PAGE_W) / 2);
  const top = Math.floor((rh - PAGE_H) / 2);

  // 2. Mild optical blur.
  const { data, info } = await sharp(rotated.data)
    .extract({ left, top, width: PAGE_W, height: PAGE_H })
    .blur(SCAN.blurSigma)
    .extractChannel(0)
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 1) throw new Error(`expected 1 channel, got ${info.channels}`);

  // 3. Paper tone, toner density, paper grain and dust, all from a seeded PRNG.
  const rand = mulberry32(SCAN.seed);
  const out = Buffer.alloc(PAGE_W * PAGE_H);
  // Paper grain is sampled on a 2x2 px lattice: it looks like paper fibre at 200 DPI
  // and compresses far better than independent per-pixel noise.
  const gw = Math.ceil(PAGE_W / 2);
  const grainField = new Float32Array(gw * Math.ceil(PAGE_H / 2));
  for (let i = 0; i < grainField.length; i++) grainField[i] = (rand() - 0.5) * 2 * SCAN.grain;
  for (let y = 0; y < PAGE_H; y++) {
    // Slight uneven illumination: a touch darker towards the bottom-right, like a flatbed lid gap.
    for (let x = 0; x < PAGE_W; x++) {
      const i = y * PAGE_W + x;
      const shade = 4 * ((x / PAGE_W) * 0.5 + (y / PAGE_H) * 0.5);
      const paper = SCAN.paper - shade;
      const v = data[i]! / 255; // 1 = white, 0 = full ink
      const grain = grainField[(y >> 1) * gw + (x >> 1)]!;
      out[i] = clamp(Math.round(SCAN.ink + (paper - SCAN.ink) * v + grain));
    }
  }
  // Dust specks (1-3 px dark dots) and faint larger blotches. To keep the page
  // OCR-friendly they only land on blank paper: never inside a text line's band
  // (so "4111 1111" cannot become "4111.1111" and table gaps stay empty) and
  // never close to other ink such as table rules.
  const bands = rows.map((r) => {
    const size = Math.max(...r.cells.map((c) => c.size ?? 28));
    return { top: r.y - 1.2 * size - 12, bottom: r.y + 0.45 * size + 12 };
  });
  const onBlankPaper = (cx: number, cy: number): boolean => {
    if (bands.some((b) => cy >= b.top && cy <= b.bottom)) return false;
    const radius = SCAN.inkClearance;
    for (let y = Math.max(0, cy - radius); y <= Math.min(PAGE_H - 1, cy + radius); y++) {
      for (let x = Math.max(0, cx - radius); x <= Math.min(PAGE_W - 1, cx + radius); x++) {
        if (data[y * PAGE_W + x]! < 235) return false;
      }
    }
    return true;
  };
  for (let k = 0; k < SCAN.specks; k++) {
    const cx = Math.floor(rand() * PAGE_W);
    const cy = Math.floor(rand() * PAGE_H);
    const r = rand() < 0.85 ? 0.8 : 1.6;
    const tone = 60 + Math.floor(rand() * 110);
    if (onBlankPaper(cx, cy)) stamp(out, cx, cy, r, tone);
  }
  for (let k = 0; k < SCAN.blotches; k++) {
    const cx = Math.floor(rand() * PAGE_W);
    const cy = Math.floor(rand() * PAGE_H);
    const r = 2 + rand() * 3;
    const tone = 205 + Math.floor(rand() * 25);
    if (onBlankPaper(cx, cy)) stamp(out, cx, cy, r, tone);
  }

  // 4. Encode as a palette PNG (<= 32 gray levels; libimagequant picks 16 here) to keep it small.
  return sharp(out, { raw: { width: PAGE_W, height: PAGE_H, channels: 1 } })
    .withMetadata({ density: DPI })
    .png({ palette: true, colours: 32, dither: 0, compressionLevel: 9, effort: 10 })
    .toBuffer();
}

function clamp(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

/** Darken a small disc (never lightens existing ink). */
function stamp(buf: Buffer, cx: number, cy: number, r: number, tone: number): void {
  const ri = Math.ceil(r);
  for (let dy = -ri; dy <= ri; dy++) {
    for (let dx = -ri; dx <= ri; dx++) {
      if (dx * dx + dy * dy > r * r) continue;
      const x = cx + dx;
      const y = cy + dy;
      if (x < 0 || y < 0 || x >= PAGE_W || y >= PAGE_H) continue;
      const i = y * PAGE_W + x;
      buf[i] = Math.min(buf[i]!, tone);
    }
  }
}

// ---------------------------------------------------------------------------

async function main(): Promise<void> {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const outDir = path.join(root, 'samples');
  await mkdir(outDir, { recursive: true });

  const rows = buildLayout();
  const png = await scan(toSvg(rows), rows);
  const txt = groundTruth(rows);

  const pngPath = path.join(outDir, 'scanned-invoice.png');
  const txtPath = path.join(outDir, 'scanned-invoice.txt');
  await writeFile(pngPath, png);
  await writeFile(txtPath, txt, 'utf8');
  console.log(`wrote ${path.relative(root, pngPath)} (${PAGE_W}x${PAGE_H}, ${(png.length / 1024).toFixed(0)} KiB)`);
  console.log(`wrote ${path.relative(root, txtPath)} (${txt.split('\n').length - 1} lines, ${txt.length} chars)`);
}

await main();
