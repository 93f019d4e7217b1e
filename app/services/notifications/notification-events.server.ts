/**
 * Which recorded Flow event each email answers, and the email's facts read
 * from that event's payload (the fields of its trigger in extensions/flow-*).
 * The Flow triggers and the emails are the same four events, recorded once.
 */
import { z } from "zod";
import { FLOW_TRIGGERS } from "../../db/flow-events.server";
import type { EmailEvent, EmailFacts } from "./email-templates";

const TRIGGER_OF_EVENT: Record<EmailEvent, string> = {
  pointsEarned: FLOW_TRIGGERS.pointsEarned,
  rewardReady: FLOW_TRIGGERS.rewardIssued,
  pointsExpiring: FLOW_TRIGGERS.pointsExpiring,
  tierReached: FLOW_TRIGGERS.tierChanged,
};

export const EMAILED_TRIGGERS = Object.values(TRIGGER_OF_EVENT);

export function eventOfTrigger(trigger: string): EmailEvent | null {
  const found = Object.entries(TRIGGER_OF_EVENT).find(([, handle]) => handle === trigger);
  return found ? (found[0] as EmailEvent) : null;
}

const customerId = z.union([z.number().int().positive(), z.string().regex(/^\d+$/)]);
const count = z.number().int();
const date = z.string().pipe(z.coerce.date());

const PAYLOADS = {
  pointsEarned: z.object({ customer_id: customerId, Points: count, Balance: count }),
  rewardReady: z.object({
    customer_id: customerId,
    Reward: z.string(),
    Code: z.string(),
    "Expires at": date,
  }),
  pointsExpiring: z.object({ customer_id: customerId, Points: count, "Expires at": date }),
  tierReached: z.object({ customer_id: customerId, "Previous tier": z.string(), "New tier": z.string() }),
};

/** The customer a Flow event's payload names (customer_id, Flow's customer reference). */
export function customerGidOfPayload(payload: unknown): string | null {
  const parsed = z.object({ customer_id: customerId }).safeParse(payload);
  return parsed.success ? `gid://shopify/Customer/${parsed.data.customer_id}` : null;
}

/** The email's facts, and for a tier change the tier left (the email is for a step up only). */
export function factsOfPayload(
  event: EmailEvent,
  payload: unknown,
): { facts: EmailFacts; previousTier?: string } | null {
  switch (event) {
    case "pointsEarned": {
      const p = PAYLOADS.pointsEarned.safeParse(payload);
      return p.success ? { facts: { event, points: p.data.Points, balance: p.data.Balance } } : null;
    }
    case "rewardReady": {
      const p = PAYLOADS.rewardReady.safeParse(payload);
      return p.success
        ? { facts: { event, reward: p.data.Reward, code: p.data.Code, expiresAt: p.data["Expires at"] } }
        : null;
    }
    case "pointsExpiring": {
      const p = PAYLOADS.pointsExpiring.safeParse(payload);
      return p.success ? { facts: { event, points: p.data.Points, expiresAt: p.data["Expires at"] } } : null;
    }
    case "tierReached": {
      const p = PAYLOADS.tierReached.safeParse(payload);
      return p.success
        ? { facts: { event, tier: p.data["New tier"] }, previousTier: p.data["Previous tier"] }
        : null;
    }
  }
}
