/**
 * Shopify Flow's actions: their extensions as Shopify CLI checks them when it
 * deploys (the offline CLI does not), each pointing at the app's route for
 * it, and the pure rules of a run (app/loyalty/flow-actions.ts).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  ACTION_RUN_ID,
  deductionRefusal,
  FLOW_ACTION_PATHS,
  FLOW_ACTIONS,
  flowLedgerKey,
  signedFlowPoints,
} from "~/loyalty/flow-actions";
import { flowActionExtensions, readAppConfig } from "../../devshop/app-config";
import { routeFiles } from "../support/app-routes";

describe("Flow action extensions", () => {
  const actions = flowActionExtensions();

  it("exist for every action the app answers, named as Shopify Flow asks (a verb, sentence case, no punctuation)", () => {
    expect(actions.map((action) => action.handle).sort()).toEqual(Object.values(FLOW_ACTIONS).sort());
    expect(Object.fromEntries(actions.map((action) => [action.handle, action.name]))).toEqual({
      [FLOW_ACTIONS.awardPoints]: "Award points",
      [FLOW_ACTIONS.deductPoints]: "Deduct points",
      [FLOW_ACTIONS.issueReward]: "Issue reward",
    });
  });

  it("run at the app's URL, on a route the app has", () => {
    const { applicationUrl } = readAppConfig();
    const paths = routeFiles().map((route) => route.urlPath);
    for (const action of actions) {
      const wanted = FLOW_ACTION_PATHS[action.handle as keyof typeof FLOW_ACTION_PATHS];
      expect(action.runtimeUrl).toBe(new URL(wanted, applicationUrl).href);
      expect(paths).toContain(wanted);
    }
  });

  it("take the customer as their subject, and the fields the route reads", () => {
    const fields = Object.fromEntries(
      actions.map((action) => [action.handle, action.fields.map((f) => [f.key, f.type, f.required])]),
    );
    expect(fields).toEqual({
      [FLOW_ACTIONS.awardPoints]: [
        ["customer_id", "customer_reference", true],
        ["points", "number_integer", true],
        ["reason", "single_line_text_field", false],
      ],
      [FLOW_ACTIONS.deductPoints]: [
        ["customer_id", "customer_reference", true],
        ["points", "number_integer", true],
        ["reason", "single_line_text_field", true],
      ],
      [FLOW_ACTIONS.issueReward]: [
        ["customer_id", "customer_reference", true],
        ["reward", "single_line_text_field", true],
      ],
    });
  });

  it("a toml Shopify CLI would refuse is refused here, naming it", () => {
    const toml = (body: string) => {
      const root = mkdtempSync(path.join(tmpdir(), "flow-actions-"));
      mkdirSync(path.join(root, "x"));
      writeFileSync(
        path.join(root, "x", "shopify.extension.toml"),
        `[[extensions]]\nname = "Award points"\ntype = "flow_action"\nhandle = "award"\n${body}`,
      );
      return () => flowActionExtensions(root);
    };
    expect(toml('runtime_url = "/flow/actions/award-points"')).toThrow(
      /runtime_url must be an absolute https/,
    );
    expect(toml('runtime_url = "http://example.com/a"')).toThrow(/absolute https/);
    const field = (text: string) =>
      toml(`runtime_url = "https://example.com/a"\n[settings]\n[[settings.fields]]\n${text}`);
    expect(field('type = "number_integer"\nkey = "points"')).toThrow(/needs a string key and name/);
    expect(field('type = "number_integer"\nkey = "points"\nname = "Points"\nlabel = "x"')).toThrow(
      /does not take label/,
    );
    expect(field('type = "customer_reference"\nkey = "customer"')).toThrow(/does not take key/);
    expect(field('type = "customer_reference"\nrequired = true')()).toEqual([
      expect.objectContaining({
        fields: [{ type: "customer_reference", key: "customer_id", name: "Customer", required: true }],
      }),
    ]);
  });
});

describe("a Flow action run's rules", () => {
  it("a run's ledger key is its action run id, so the same run is one entry", () => {
    expect(flowLedgerKey("0f6e4c52-9b7a-4d3e-8a54-6b1a2f0c9d11")).toBe(
      "flow:0f6e4c52-9b7a-4d3e-8a54-6b1a2f0c9d11",
    );
    expect(ACTION_RUN_ID.test("b63199047e046bd08b41c3a545dfbc9086aa1354")).toBe(true);
    for (const bad of ["", "has space", "x".repeat(201), "tab\there", "é"])
      expect(ACTION_RUN_ID.test(bad)).toBe(false);
  });

  it("a deduction never takes the balance below zero: more than the balance is refused whole", () => {
    expect(deductionRefusal(100, 100)).toBeNull();
    expect(deductionRefusal(100, 40)).toBeNull();
    expect(deductionRefusal(100, 101)).toEqual({ balance: 100, asked: 101 });
    expect(deductionRefusal(0, 1)).toEqual({ balance: 0, asked: 1 });
    expect(signedFlowPoints("award", 25)).toBe(25);
    expect(signedFlowPoints("deduct", 25)).toBe(-25);
  });
});
