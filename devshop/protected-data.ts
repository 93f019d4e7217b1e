/**
 * Protected customer data (https://shopify.dev/docs/apps/launch/protected-customer-data):
 * level 1 is customer data without the name, address, phone and email fields;
 * level 2 includes them, and a public app needs Shopify's review for it.
 * Without level 2, Shopify's APIs redact those fields ("APIs will redact
 * customer personal data by default",
 * https://shopify.dev/changelog/apps-can-now-request-access-to-necessary-protected-data):
 * they arrive null, in Admin GraphQL answers and in webhook payloads alike.
 * A shop here is level 2 unless switched to 1 (`customerDataLevel`), as a
 * development store is once the fields are selected in the Partner Dashboard.
 */
import type { Customer, ShopState } from "./state";

export interface CustomerContact {
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
}

export const sharesPersonalFields = (shop: ShopState): boolean => (shop.customerDataLevel ?? 2) === 2;

/** The customer's name, email and phone as the app may see them on this shop. */
export function contactOf(shop: ShopState, customer: Customer): CustomerContact {
  if (!sharesPersonalFields(shop)) return { email: null, firstName: null, lastName: null, phone: null };
  return {
    email: customer.email,
    firstName: customer.firstName,
    lastName: customer.lastName,
    phone: customer.phone,
  };
}
