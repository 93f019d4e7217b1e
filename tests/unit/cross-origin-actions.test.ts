/**
 * crossOriginAction decides as Remix's own guard does
 * (@remix-run/server-runtime's throwIfPotentialCSRFAttack, which answers a
 * refused request 500): for any Origin, Host and X-Forwarded-Host, a
 * document POST or a `.data` action is called cross-origin exactly when
 * Remix would refuse it; other methods and GETs never are.
 */
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
// Remix's guard itself, as its request handler calls it (not part of its public API).
import { throwIfPotentialCSRFAttack } from "@remix-run/server-runtime/dist/actions.js";
import { crossOriginAction, refuseCrossOriginAction } from "~/cross-origin-actions.server";

const remixRefuses = (headers: Headers) => {
  try {
    throwIfPotentialCSRFAttack(headers);
    return false;
  } catch {
    return true;
  }
};

const host = fc.constantFrom(
  "app.example",
  "app.example:3000",
  "127.0.0.1:3000",
  "evil.example",
  "APP.example",
);
const origin = fc.oneof(
  host.map((h) => `https://${h}`),
  host.map((h) => `http://${h}`),
  fc.constantFrom("null", "not a url", "https://app.example/path", ""),
);
const headerSets = fc.record(
  {
    origin,
    host,
    "x-forwarded-host": fc.oneof(
      host,
      host.map((h) => `${h}, proxy.internal`),
      fc.constant(" "),
    ),
  },
  { requiredKeys: [] },
);

function requestWith(path: string, method: string, fields: Record<string, string>) {
  const headers = new Headers();
  for (const [name, value] of Object.entries(fields)) if (value !== "") headers.set(name, value);
  return { request: new Request(`http://app.example${path}`, { method, headers }), headers };
}

describe("crossOriginAction", () => {
  it("property: refuses a document POST or a .data action exactly when Remix's guard does", () => {
    fc.assert(
      fc.property(
        headerSets,
        fc.constantFrom("/app/program", "/app/program.data"),
        fc.constantFrom("POST", "PUT", "PATCH", "DELETE"),
        (fields, path, method) => {
          const { request, headers } = requestWith(path, method, fields);
          expect(crossOriginAction(request)).toBe(remixRefuses(headers));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("never refuses a GET, whatever its Origin", () => {
    for (const path of ["/app/program", "/app/program.data"]) {
      const { request } = requestWith(path, "GET", { origin: "https://evil.example", host: "app.example" });
      expect(crossOriginAction(request)).toBe(false);
    }
  });

  it("refuseCrossOriginAction answers 403 with one log line, or lets the request through", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const foreign = requestWith("/app/program", "POST", {
      origin: "https://evil.example",
      host: "app.example",
    });
    const refused = refuseCrossOriginAction(foreign.request);
    expect(refused?.status).toBe(403);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toBe(
      "[regulars] refused a cross-origin POST /app/program (Origin: https://evil.example)",
    );
    const own = requestWith("/app/program", "POST", { origin: "https://app.example", host: "app.example" });
    expect(refuseCrossOriginAction(own.request)).toBeNull();
    warn.mockRestore();
  });
});
