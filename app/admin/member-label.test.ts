import { describe, expect, it } from "vitest";
import { contactHidden, memberLabel } from "./member-label";

const gid = "gid://shopify/Customer/7302485617";

describe("memberLabel", () => {
  it("names a member by name, else email, else their Shopify customer number", () => {
    expect(memberLabel({ customerGid: gid, firstName: "Ada", lastName: "Lovelace", email: "a@x.io" })).toBe(
      "Ada Lovelace",
    );
    expect(memberLabel({ customerGid: gid, firstName: null, lastName: null, email: "a@x.io" })).toBe(
      "a@x.io",
    );
    // Names and emails withheld (protected customer data level 1): no gid, a number the merchant can look up.
    expect(memberLabel({ customerGid: gid, firstName: null, lastName: null, email: null })).toBe(
      "Customer 7302485617",
    );
  });

  it("knows when Shopify withheld the contact fields", () => {
    expect(contactHidden({ customerGid: gid, firstName: null, lastName: null, email: null })).toBe(true);
    expect(contactHidden({ customerGid: gid, firstName: null, lastName: "L", email: null })).toBe(false);
  });
});
