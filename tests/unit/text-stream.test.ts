import { describe, expect, it } from "vitest";
import { textStream } from "~/services/exports/text-stream.server";

/** A source that counts the chunks it was asked for, as a paged export reads pages. */
function counted(total: number) {
  const state = { produced: 0, stopped: false };
  async function* chunks() {
    try {
      for (let i = 0; i < total; i++) {
        state.produced++;
        yield `line ${i}\n`;
      }
    } finally {
      state.stopped = true;
    }
  }
  return { state, chunks: chunks() };
}

describe("textStream (how downloads keep memory bounded)", () => {
  it("reads nothing until asked, then one chunk per read: never ahead of the reader", async () => {
    const { state, chunks } = counted(1000);
    const reader = textStream(chunks).getReader();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(state.produced).toBe(0);
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe("line 0\n");
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(state.produced).toBe(1);
    await reader.read();
    expect(state.produced).toBe(2);
  });

  it("a reader that goes away stops the source", async () => {
    const { state, chunks } = counted(1000);
    const reader = textStream(chunks).getReader();
    await reader.read();
    await reader.cancel();
    expect(state.stopped).toBe(true);
    expect(state.produced).toBe(1);
  });

  it("gives the whole text, in order, to a reader that reads it all", async () => {
    const { chunks } = counted(3);
    expect(await new Response(textStream(chunks)).text()).toBe("line 0\nline 1\nline 2\n");
  });
});
