import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { progressBar } from '../../src/batch/progress.js';

function stream(isTTY: boolean): { s: NodeJS.WriteStream; text: () => string } {
  let text = '';
  const s = new Writable({
    write(chunk, _enc, done) {
      text += String(chunk);
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  Object.assign(s, { isTTY, columns: 120, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
  return { s, text: () => text };
}

describe('batch progress bar', () => {
  it('is not shown when the output is not a terminal', () => {
    expect(progressBar(stream(false).s, 1000)).toBeUndefined();
  });

  it('shows the share read, rows, rows/s and an ETA on a terminal', () => {
    const { s, text } = stream(true);
    const bar = progressBar(s, 1000)!;
    bar.update(500, 1234);
    bar.stop();
    expect(text()).toMatch(/50% \| 1234 rows \| \d+ rows\/s \| ETA/);
  });
});
