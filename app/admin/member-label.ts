/**
 * How the admin names a member. Names and emails come from Shopify only once
 * Shopify approves Regulars for protected customer data level 2; before that
 * they arrive null in webhooks and API answers
 * (https://shopify.dev/docs/apps/launch/protected-customer-data), so such a
 * member goes by their Shopify customer number, and the pages say why.
 * Display only: nothing is stored in their place, so search and sorting work
 * on the real fields once they arrive.
 */
export const PROTECTED_DATA_DOCS = "https://shopify.dev/docs/apps/launch/protected-customer-data";

export interface MemberContact {
  customerGid: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
}

/** No name and no email: Shopify withheld them (or the customer gave none). */
export const contactHidden = (member: MemberContact): boolean =>
  !member.firstName && !member.lastName && !member.email;

/** The customer's number in Shopify (the admin's customer URL ends with it). */
const customerNumber = (customerGid: string): string => /\/(\d+)$/.exec(customerGid)?.[1] ?? customerGid;

export function memberLabel(member: MemberContact): string {
  const name = [member.firstName, member.lastName].filter(Boolean).join(" ");
  return name || member.email || `Customer ${customerNumber(member.customerGid)}`;
}
