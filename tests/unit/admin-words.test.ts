/**
 * The admin shows what happened in words, never the stored enums: every ledger
 * kind, code status, job queue and webhook topic Regulars has has its words in
 * app/admin/strings.ts.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { LedgerKind, RedemptionStatus } from "@prisma/client";
import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { strings } from "~/admin/strings";
import { QUEUES } from "~/jobs/queues";

const toml = parse(readFileSync(path.resolve(__dirname, "../../shopify.app.toml"), "utf8")) as {
  webhooks: { subscriptions: { topics?: string[]; compliance_topics?: string[] }[] };
};
/** As app/shopify/requests/webhook-signature.server.ts stores a topic: orders/paid -> ORDERS_PAID. */
const stored = (topic: string) => topic.toUpperCase().replace(/\/|\./g, "_");
/** A sentence or a phrase, not an enum: a capital, then lower case or a space somewhere. */
const words = (text: string | undefined) => expect(text).toMatch(/^[A-Z][a-z ']/);

describe("the admin's words for what Regulars stores", () => {
  it("every ledger kind and code status", () => {
    for (const kind of Object.values(LedgerKind)) words(strings.customer.kinds[kind]);
    for (const status of Object.values(RedemptionStatus)) words(strings.customer.codeStatuses[status]);
  });

  it("every job queue, for a job that failed for good", () => {
    for (const queue of Object.keys(QUEUES)) words(strings.activity.failedJobs[queue]);
  });

  it("every webhook topic Regulars subscribes to", () => {
    const topics = toml.webhooks.subscriptions.flatMap((s) => [
      ...(s.topics ?? []),
      ...(s.compliance_topics ?? []),
    ]);
    expect(topics.length).toBeGreaterThan(5);
    for (const topic of topics) words(strings.activity.topics[stored(topic)]);
  });
});
