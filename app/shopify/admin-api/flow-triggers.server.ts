/**
 * Fires a Shopify Flow trigger (one of the flow_trigger extensions in
 * extensions/) with its payload: `customer_id` for the customer reference
 * field and one entry per custom field, keyed by the field's key.
 */
import type { FlowTriggerReceiveMutation } from "../../types/admin.generated";
import { type AdminGraphql, runQuery, throwOnUserErrors } from "./admin-client.server";

const FLOW_TRIGGER_RECEIVE = `#graphql
  mutation FlowTriggerReceive($handle: String!, $payload: JSON!) {
    flowTriggerReceive(handle: $handle, payload: $payload) {
      userErrors {
        field
        message
      }
    }
  }
`;

export async function fireFlowTrigger(admin: AdminGraphql, handle: string, payload: unknown): Promise<void> {
  const result = await runQuery<FlowTriggerReceiveMutation>(admin, FLOW_TRIGGER_RECEIVE, { handle, payload });
  throwOnUserErrors(`flowTriggerReceive ${handle}`, result.flowTriggerReceive?.userErrors);
}
