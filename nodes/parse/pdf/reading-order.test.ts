import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pageText, type TextRun } from './reading-order.js';

/** A run of `text` at (x, baseline y) in display space, about 0.5 em per character. */
function run(text: string, x: number, y: number, size = 10, extra: Partial<TextRun> = {}): TextRun {
  return { text, x, y, width: text.length * size * 0.5, size, ...extra };
}

/** Lines of a column: one run per line, 12 units apart. */
function column(label: string, x: number, top: number, count: number): TextRun[] {
  return Array.from({ length: count }, (_, index) => run(`${label} ${index + 1}`, x, top + index * 12));
}

describe('pageText', () => {
  it('joins runs on one baseline with spaces from the gaps, and breaks lines where the baseline moves', () => {
    const runs = [run('Hello', 50, 100), run('world', 50 + 25 + 3, 100), run('again', 50, 112), run('!', 75, 112)];
    assert.equal(pageText(runs), 'Hello world\nagain!');
  });

  it('keeps superscripts on their line and honours whitespace runs', () => {
    const runs = [run('Gal', 50, 100, 11), run('∗', 66.5, 96, 8), run(' ', 70.5, 100, 11, { width: 0.3 }), run('Eich', 71, 100, 11)];
    assert.equal(pageText(runs), 'Gal∗ Eich');
  });

  it('puts a tab in a wide gap on one line (a table row) instead of splitting it', () => {
    const runs = [run('Name', 50, 100), run('Value', 200, 100), run('alpha', 50, 112), run('1', 200, 112)];
    assert.equal(pageText(runs), 'Name\tValue\nalpha\t1');
  });

  it('reads the left column before the right one whatever the drawing order, with the title first and the footer last', () => {
    const runs = [run('Footer', 150, 700), ...column('right', 200, 100, 5), ...column('left', 50, 100, 5), run('Title', 120, 60, 16)];
    const text = pageText(runs);
    assert.equal(text, ['Title', column('left', 0, 0, 5).map((line) => line.text).join('\n'), column('right', 0, 0, 5).map((line) => line.text).join('\n'), 'Footer'].join('\n\n'));
    assert.ok(pageText(runs, 'content').startsWith('Footer\n\nright 1'), 'content order keeps the drawing order');
  });

  it('keeps columns together when a gap in one column happens to line up with a gap in the other', () => {
    // The left column has a figure-sized hole; the right column has a paragraph break at that height.
    // The gutter (15) is narrower than that shared row gap (35), so a plain XY-cut would cut the rows first.
    const runs = [...column('left', 50, 100, 3), ...column('left-after-figure', 50, 200, 3), ...column('right', 160, 100, 3), ...column('right-next', 160, 170, 6)];
    const text = pageText(runs);
    const firsts = ['left 1', 'left-after-figure 1', 'right 1', 'right-next 1'].map((line) => text.indexOf(line));
    assert.deepEqual([...firsts].sort((a, b) => a - b), firsts, text);
  });

  it('reads right-to-left lines from right to left, and right-to-left columns from the right', () => {
    const line = [run('العربية', 100, 100), run(' ', 135, 100, 10, { width: 0.3 }), run('الخطوط', 140, 100), run('انواع', 175, 100)];
    assert.equal(pageText(line), 'انواع الخطوط العربية');
    const columns = [...column('يسار', 50, 100, 2), ...column('يمين', 200, 100, 2)];
    assert.equal(pageText(columns), 'يمين 1\nيمين 2\n\nيسار 1\nيسار 2');
  });

  it('drops fake-bold overprints and gives rotated labels their own lines', () => {
    const runs = [run('Bold', 50, 100), run('Bold', 50.4, 100.2), run('Body', 50, 112), run('Axis label', 20, 300, 8, { rotated: true })];
    assert.equal(pageText(runs, 'content'), 'Bold\nBody\n\nAxis label');
  });

  it('returns an empty string for a page without text or with whitespace only', () => {
    assert.equal(pageText([]), '');
    assert.equal(pageText([run(' ', 10, 10), run('\t', 10, 30)]), '');
  });
});
