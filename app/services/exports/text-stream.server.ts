/**
 * A file's text as a byte stream that reads its source only as fast as the
 * reader takes it: the next chunk is produced when the previous one was
 * taken (the browser's download, through the server's socket), never ahead,
 * so a file of any size holds one chunk in memory at a time.
 */
export function textStream(chunks: AsyncIterable<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let iterator: AsyncIterator<string> | null = null;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        iterator ??= chunks[Symbol.asyncIterator]();
        const next = await iterator.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      },
      // The reader went away (a cancelled download): stop reading the source.
      async cancel() {
        await iterator?.return?.();
      },
    },
    // Nothing is read before the reader asks (the default would read a chunk on creation).
    { highWaterMark: 0 },
  );
}
