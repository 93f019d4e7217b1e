/**
 * Reward codes in Shopify: one customer, one use, an expiry. The code string
 * is chosen by Regulars before the call, so a retry can look it up.
 */
import type { RewardRule } from "../../loyalty/rewards";
import { formatMilli } from "../../loyalty/money";
import type {
  CodeByCodeQuery,
  CreateBasicCodeMutation,
  CreateFreeShippingCodeMutation,
  DeleteCodeMutation,
} from "../../types/admin.generated";
import { type AdminGraphql, runQuery, throwOnUserErrors } from "./admin-client.server";

const CREATE_BASIC_CODE = `#graphql
  mutation CreateBasicCode($input: DiscountCodeBasicInput!) {
    discountCodeBasicCreate(basicCodeDiscount: $input) {
      codeDiscountNode {
        id
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`;

const CREATE_FREE_SHIPPING_CODE = `#graphql
  mutation CreateFreeShippingCode($input: DiscountCodeFreeShippingInput!) {
    discountCodeFreeShippingCreate(freeShippingCodeDiscount: $input) {
      codeDiscountNode {
        id
      }
      userErrors {
        field
        code
        message
      }
    }
  }
`;

const CODE_BY_CODE = `#graphql
  query CodeByCode($code: String!) {
    codeDiscountNodeByCode(code: $code) {
      id
    }
  }
`;

const DELETE_CODE = `#graphql
  mutation DeleteCode($id: ID!) {
    discountCodeDelete(id: $id) {
      deletedCodeDiscountId
      userErrors {
        field
        code
        message
      }
    }
  }
`;

export interface CodeRequest {
  code: string;
  title: string;
  customerGid: string;
  reward: RewardRule;
  startsAt: Date;
  endsAt: Date;
}

export type CreateCodeResult =
  { status: "created"; nodeId: string } | { status: "rejected"; errors: string[] };

/** The exact input Shopify receives for a reward (tests pin it down). */
export function discountInput(request: CodeRequest): {
  mutation: "basic" | "freeShipping";
  input: Record<string, unknown>;
} {
  const { reward } = request;
  const common = {
    title: request.title,
    code: request.code,
    startsAt: request.startsAt.toISOString(),
    endsAt: request.endsAt.toISOString(),
    context: { customers: { add: [request.customerGid] } },
    usageLimit: 1,
    appliesOncePerCustomer: true,
    combinesWith: {
      orderDiscounts: reward.combinesWithOrder,
      productDiscounts: reward.combinesWithProduct,
      shippingDiscounts: reward.combinesWithShipping,
    },
    ...(reward.minimumSubtotalMilli !== null
      ? {
          minimumRequirement: {
            subtotal: { greaterThanOrEqualToSubtotal: formatMilli(reward.minimumSubtotalMilli) },
          },
        }
      : {}),
  };
  if (reward.type === "FREE_SHIPPING") {
    return { mutation: "freeShipping", input: { ...common, destination: { all: true } } };
  }
  const value =
    reward.type === "PERCENTAGE"
      ? { percentage: reward.percentBps! / 10_000 }
      : { discountAmount: { amount: formatMilli(reward.amountMilli!), appliesOnEachItem: false } };
  return { mutation: "basic", input: { ...common, customerGets: { value, items: { all: true } } } };
}

/** What a discount code create mutation answered: the new discount's id, or Shopify's refusals. */
function codeResult(
  payload:
    | {
        userErrors: { field?: string[] | null; message: string }[];
        codeDiscountNode?: { id: string } | null;
      }
    | null
    | undefined,
): CreateCodeResult {
  const errors = payload?.userErrors ?? [];
  if (errors.length > 0 || !payload?.codeDiscountNode) {
    return {
      status: "rejected",
      errors: errors.length
        ? errors.map((e) => `${e.field?.join(".") ?? ""} ${e.message}`.trim())
        : ["no discount returned"],
    };
  }
  return { status: "created", nodeId: payload.codeDiscountNode.id };
}

export async function createRewardCode(admin: AdminGraphql, request: CodeRequest): Promise<CreateCodeResult> {
  const { mutation, input } = discountInput(request);
  const payload =
    mutation === "basic"
      ? (await runQuery<CreateBasicCodeMutation>(admin, CREATE_BASIC_CODE, { input })).discountCodeBasicCreate
      : (await runQuery<CreateFreeShippingCodeMutation>(admin, CREATE_FREE_SHIPPING_CODE, { input }))
          .discountCodeFreeShippingCreate;
  return codeResult(payload);
}

export async function findRewardCode(admin: AdminGraphql, code: string): Promise<string | null> {
  return (await runQuery<CodeByCodeQuery>(admin, CODE_BY_CODE, { code })).codeDiscountNodeByCode?.id ?? null;
}

export async function deleteRewardCode(admin: AdminGraphql, nodeId: string): Promise<void> {
  const result = await runQuery<DeleteCodeMutation>(admin, DELETE_CODE, { id: nodeId });
  throwOnUserErrors("discountCodeDelete", result.discountCodeDelete?.userErrors);
}

/** A referee's first-order code: a percentage off, one use; for their customer when known. */
export interface ReferralCodeRequest {
  code: string;
  title: string;
  /** null: a visitor who gave only an email; the code is theirs because only they are sent it. */
  customerGid: string | null;
  percent: number;
  startsAt: Date;
  endsAt: Date;
}

/**
 * The exact input Shopify receives for a referee's code. Without a customer, the context is all
 * buyers (DiscountContextInput.all: DiscountBuyerSelection ALL,
 * https://shopify.dev/docs/api/admin-graphql/2026-10/input-objects/DiscountContextInput) and the
 * usage limit of 1 keeps it to one order
 * (https://shopify.dev/docs/api/admin-graphql/2026-10/input-objects/DiscountCodeBasicInput#fields-usageLimit).
 */
function referralDiscountInput(request: ReferralCodeRequest): Record<string, unknown> {
  return {
    title: request.title,
    code: request.code,
    startsAt: request.startsAt.toISOString(),
    endsAt: request.endsAt.toISOString(),
    context: request.customerGid ? { customers: { add: [request.customerGid] } } : { all: "ALL" },
    usageLimit: 1,
    appliesOncePerCustomer: true,
    combinesWith: { orderDiscounts: false, productDiscounts: false, shippingDiscounts: true },
    customerGets: { value: { percentage: request.percent / 100 }, items: { all: true } },
  };
}

export async function createReferralCode(
  admin: AdminGraphql,
  request: ReferralCodeRequest,
): Promise<CreateCodeResult> {
  const payload = (
    await runQuery<CreateBasicCodeMutation>(admin, CREATE_BASIC_CODE, {
      input: referralDiscountInput(request),
    })
  ).discountCodeBasicCreate;
  return codeResult(payload);
}
