/**
 * Watches a byte stream for bytes that are not UTF-8, piece by piece as a reader gets them: one
 * native check per piece, so valid files pay nothing per row. Once bad bytes have been seen, a
 * reader that decodes the stream knows its U+FFFD characters may stand for them.
 */
import { isUtf8 } from 'node:buffer';

/** Bytes at the end of `buf` that begin a character the next chunk completes (0 to 3). */
function incompleteTail(buf: Buffer): number {
  for (let i = 1; i <= 3 && i <= buf.length; i++) {
    const b = buf[buf.length - i]!;
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back for the lead
    if (b < 0xc0) return 0;
    const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
    return length > i ? i : 0;
  }
  return 0;
}

export class Utf8Watch {
  /** Whether any bytes so far were not UTF-8. */
  invalid = false;
  private tail = Buffer.alloc(0);

  see(chunk: Buffer): void {
    if (this.invalid) return;
    const buf = this.tail.length ? Buffer.concat([this.tail, chunk]) : chunk;
    const cut = incompleteTail(buf);
    if (!isUtf8(buf.subarray(0, buf.length - cut))) this.invalid = true;
    this.tail = Buffer.from(buf.subarray(buf.length - cut));
  }

  /** The stream has ended: a character it ends inside is not UTF-8. */
  end(): void {
    if (this.tail.length) this.invalid = true;
  }
}
