/**
 * The rules of Shopify Flow's actions on points (extensions/flow-award-points,
 * flow-deduct-points, flow-issue-reward): how many points one run may move,
 * the ledger key that makes a run count once, and whether a deduction may
 * happen. Pure: the service (app/services/flow/flow-actions.server.ts) reads
 * the member and writes the ledger.
 */

/** Regulars' Flow actions: extension handle by action (extensions/flow-<action>/shopify.extension.toml). */
export const FLOW_ACTIONS = {
  awardPoints: "regulars-award-points",
  deductPoints: "regulars-deduct-points",
  issueReward: "regulars-issue-reward",
} as const;

export type FlowAction = (typeof FLOW_ACTIONS)[keyof typeof FLOW_ACTIONS];

/** Each action's route: its runtime_url's path on the app. */
export const FLOW_ACTION_PATHS: Record<FlowAction, string> = {
  [FLOW_ACTIONS.awardPoints]: "/flow/actions/award-points",
  [FLOW_ACTIONS.deductPoints]: "/flow/actions/deduct-points",
  [FLOW_ACTIONS.issueReward]: "/flow/actions/issue-reward",
};

/** The most points one run of "Award points" or "Deduct points" may move (as a staff adjustment). */
export const FLOW_POINTS_MAX = 10_000_000;

/** The longest reason kept on the ledger entry. */
export const FLOW_REASON_MAX = 200;

/**
 * Flow's action run id as Regulars takes it: what Flow sends in
 * `action_run_id`, the same on every delivery of one run
 * (https://shopify.dev/docs/apps/build/flow/actions/endpoints). Printable,
 * no spaces, at most 200 characters: anything else is not an id.
 */
export const ACTION_RUN_ID = /^[\x21-\x7e]{1,200}$/;

/** The ledger entry's source key: unique within the shop, so a run that arrives twice counts once. */
export const flowLedgerKey = (actionRunId: string) => `flow:${actionRunId}`;

/**
 * Why "Deduct points" may not take `points` from a member whose spendable
 * balance is `balance`, or null when it may. A deduction never takes a
 * balance below zero: it is refused whole rather than cut down, as a staff
 * adjustment is (the workflow's run fails with the reason, and nothing is
 * taken).
 */
export function deductionRefusal(balance: number, points: number): { balance: number; asked: number } | null {
  return balance - points < 0 ? { balance, asked: points } : null;
}

/** What one run does to the balance: `points` up or down. */
export const signedFlowPoints = (direction: "award" | "deduct", points: number) =>
  direction === "award" ? points : -points;
