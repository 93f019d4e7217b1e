/**
 * Drives a server with wrk (Debian's `wrk` package) for bench:load: requests
 * built beforehand (signed deliveries, signed proxy queries) are written to
 * files and sent as they are by bench/wrk-requests.lua, either as fast as
 * the connections go or at a steady rate (one request every 1/rate s).
 *
 * Why not autocannon's `overallRate`: it is a quota per connection per
 * second, sent back to back as soon as each second starts, so "500/s" is a
 * burst of 500 at the top of every second. A bare node:http server that
 * checks an HMAC and inserts one row (0.5 ms a request) showed p50 13 ms and
 * p99 54 to 64 ms at "500/s" that way: the latency of the burst's queue, not
 * of the server.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export interface PreparedRequest {
  method: "GET" | "POST";
  path: string;
  body?: string;
  headers?: Record<string, string>;
}

export interface WrkResult {
  /** Answers received, and of them 2xx. */
  answered: number;
  ok: number;
  /** Seconds the requests were sent over (the rate's schedule, or wrk's whole run). */
  duration: number;
  errors: number;
  timeouts: number;
  /** Latency of every answer, in ms. */
  p50: number;
  p99: number;
  max: number;
  /** Steady rate only: requests that left more than 1 ms after their slot, and the worst by how much. */
  late: number;
  worstLateMs: number;
  /** Requests sent a second time because a thread ran out (as fast as they go only). */
  repeats: number;
  /** 2xx answers without the `expect` text. */
  unexpected: number;
  /** Which of the requests were sent (each thread sends its share in order, so the first few of each). */
  sent: number[];
}

const SCRIPT = fileURLToPath(new URL("./wrk-requests.lua", import.meta.url));
const THREADS = 2;

function raw(host: string, request: PreparedRequest): string {
  const body = request.body ?? "";
  let head = `${request.method} ${request.path} HTTP/1.1\r\nHost: ${host}\r\n`;
  for (const [name, value] of Object.entries(request.headers ?? {})) head += `${name}: ${value}\r\n`;
  if (request.method !== "GET") head += `Content-Length: ${Buffer.byteLength(body)}\r\n`;
  return `${head}\r\n${body}`;
}

/** Thread k sends requests k, k + THREADS, k + 2 THREADS ...: the indexes of the first taken[k] of each. */
function sentIndexes(count: number, taken: number[]): number[] {
  const sent: number[] = [];
  taken.forEach((n, thread) => {
    for (let j = 0; j < n; j++) {
      const i = thread + j * THREADS;
      if (i < count) sent.push(i);
    }
  });
  return sent.sort((a, b) => a - b);
}

/** Whether wrk is installed (`apt-get install -y wrk`). */
export function wrkMissing(): Promise<boolean> {
  return new Promise((resolve) =>
    execFile("wrk", ["--version"], (error) => resolve(error?.code === "ENOENT")),
  );
}

export async function runWrk(input: {
  origin: string;
  requests: PreparedRequest[];
  /** Requests a second, sent steadily; as fast as they go without it. */
  rate?: number;
  seconds: number;
  connections: number;
  /** Text every 2xx answer must hold; those without it are counted. */
  expect?: string;
}): Promise<WrkResult> {
  const { origin, requests, rate, seconds, connections } = input;
  const host = new URL(origin).host;
  const dir = mkdtempSync(path.join(tmpdir(), "regulars-wrk-"));
  const base = path.join(dir, "requests");
  try {
    for (let thread = 0; thread < THREADS; thread++) {
      const mine: Buffer[] = [];
      for (let i = thread; i < requests.length; i += THREADS) {
        const request = Buffer.from(raw(host, requests[i]!));
        mine.push(Buffer.from(`${request.length}\n`), request);
      }
      writeFileSync(`${base}.${thread}`, Buffer.concat(mine));
    }
    const args = [
      "-t",
      String(THREADS),
      "-c",
      String(Math.max(THREADS, connections)),
      // At a rate, a second more than the schedule lets the last requests be answered.
      "-d",
      `${rate ? seconds + 1 : seconds}s`,
      "--timeout",
      "10s",
      "-s",
      SCRIPT,
      origin,
      "--",
      base,
      String(rate ?? 0),
      String(THREADS),
      input.expect ?? "",
    ];
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile("wrk", args, { maxBuffer: 10_000_000 }, (error, out, err) =>
        error ? reject(new Error(`wrk failed: ${error.message}\n${err}`)) : resolve(out),
      ),
    );
    const line = stdout.split("\n").find((l) => l.startsWith("{"));
    if (!line) throw new Error(`wrk printed no result:\n${stdout}`);
    const r = JSON.parse(line) as Record<string, number>;
    return {
      answered: r.answered!,
      ok: r.ok!,
      duration: rate ? seconds : r.durationUs! / 1e6,
      errors: r.connectErrors! + r.readErrors! + r.writeErrors!,
      timeouts: r.timeouts!,
      p50: r.p50Us! / 1000,
      p99: r.p99Us! / 1000,
      max: r.maxUs! / 1000,
      late: r.late!,
      worstLateMs: r.worstLateMs!,
      repeats: r.repeats!,
      unexpected: r.unexpected!,
      sent: sentIndexes(requests.length, (r.taken as unknown as number[]) ?? []),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
