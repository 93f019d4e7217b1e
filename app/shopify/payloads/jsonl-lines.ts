/**
 * Splits a stream of UTF-8 bytes into lines, a chunk at a time: each chunk's
 * complete lines are checked and decoded in one call (not line by line), and
 * each line comes with its length in bytes, so a reader can say exactly where
 * in the file a line starts (a Range request resumes there). A line that is
 * not valid UTF-8 comes as `null`, for the reader to name.
 */
import { Buffer, isUtf8 } from "node:buffer";

export interface Lines {
  /** The lines' text (without the newline), or null for a line that is not valid UTF-8. */
  texts: (string | null)[];
  /** Each line's length in bytes, without its newline. */
  bytes: number[];
}

export class JsonlSplitter {
  private carry: Uint8Array = new Uint8Array(0);
  private readonly strict = new TextDecoder("utf-8", { fatal: true });

  /** The complete lines that `chunk` ends (with what the chunks before it left over). */
  push(chunk: Uint8Array): Lines {
    const last = chunk.lastIndexOf(10);
    if (last < 0) {
      this.carry = concat(this.carry, chunk);
      return { texts: [], bytes: [] };
    }
    const region =
      this.carry.length > 0 ? concat(this.carry, chunk.subarray(0, last)) : chunk.subarray(0, last);
    this.carry = chunk.slice(last + 1);
    return this.split(region);
  }

  /** The last line, if the stream did not end with a newline. */
  end(): Lines {
    const rest = this.carry;
    this.carry = new Uint8Array(0);
    return rest.length > 0 ? this.split(rest) : { texts: [], bytes: [] };
  }

  /** Lines of `region` (complete lines joined by newlines, the last one without its newline). */
  private split(region: Uint8Array): Lines {
    const buffer = Buffer.from(region.buffer, region.byteOffset, region.length);
    if (!isUtf8(buffer)) return this.splitStrictly(region);
    const texts = buffer.toString("utf8").split("\n");
    let bytes: number[];
    let total = texts.length - 1; // the newlines
    for (const text of texts) total += text.length;
    if (total === region.length) {
      // Every character is one byte (ASCII): a line's length is its byte length.
      bytes = texts.map((text) => text.length);
    } else {
      bytes = texts.map((text) => Buffer.byteLength(text, "utf8"));
    }
    return { texts, bytes };
  }

  /** Line by line, so the line that is not UTF-8 is the one reported. */
  private splitStrictly(region: Uint8Array): Lines {
    const texts: (string | null)[] = [];
    const bytes: number[] = [];
    let from = 0;
    for (;;) {
      const newline = region.indexOf(10, from);
      const line = region.subarray(from, newline < 0 ? region.length : newline);
      bytes.push(line.length);
      try {
        texts.push(this.strict.decode(line));
      } catch {
        texts.push(null);
      }
      if (newline < 0) return { texts, bytes };
      from = newline + 1;
    }
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
