import { describe, expect, it } from "vitest";
import { campaignErrors, campaignTag, offerText, parseCampaignForm, segmentOf } from "./campaign-form";
import { errorWriterFor } from "./field-error-words";
import { formatSettings } from "./format";
import { fr } from "./locales/fr";
import { strings } from "./strings";
import { stringsFor } from "./strings-for";

const form = (overrides: Record<string, string> = {}) => ({
  name: " Spring ",
  inactiveDays: "180",
  minOrders: "1",
  offerType: "PERCENTAGE",
  value: "12.5",
  validDays: "7",
  minimumSubtotal: "",
  idempotencyKey: "launch-key-123",
  ...overrides,
});

describe("the win-back form", () => {
  it("turns what the merchant typed into a campaign: percent x100, money in milli-units", () => {
    expect(parseCampaignForm(form())).toEqual({
      ok: true,
      input: {
        name: "Spring",
        inactiveDays: 180,
        minOrders: 1,
        offerType: "PERCENTAGE",
        percentBps: 1250,
        amountMilli: null,
        minimumSubtotalMilli: null,
        validDays: 7,
        idempotencyKey: "launch-key-123",
      },
    });
    expect(
      parseCampaignForm(form({ offerType: "FIXED_AMOUNT", value: "10", minimumSubtotal: "49.90" })),
    ).toMatchObject({
      ok: true,
      input: { amountMilli: 10_000n, percentBps: null, minimumSubtotalMilli: 49_900n },
    });
  });

  it("reports every bad field at once and never a partial campaign", () => {
    expect(parseCampaignForm(form({ value: "100.5", validDays: "3.5", minOrders: "" }))).toEqual({
      ok: false,
      fieldErrors: {
        value: { code: "range", min: 1, max: 100, unit: "percent" },
        validDays: { code: "wholeNumber" },
        minOrders: { code: "wholeNumber" },
      },
    });
    expect(parseCampaignForm(form({ value: "0.5" }))).toMatchObject({
      ok: false,
      fieldErrors: { value: { code: "range" } },
    });
    expect(parseCampaignForm({ name: 3 })).toMatchObject({ ok: false });
  });

  it("words the errors in the staff member's language, naming each field", () => {
    const parsed = parseCampaignForm(form({ value: "100.5", inactiveDays: "-4" }));
    const errors = parsed.ok ? {} : parsed.fieldErrors;
    const writer = (locale: string) => errorWriterFor(stringsFor(locale), formatSettings(locale, "UTC"));
    expect(campaignErrors(errors, { offerType: "PERCENTAGE" }, writer("en"))).toEqual([
      { key: "inactiveDays", sentence: "Days without an order must be from 1 to 3,650 days." },
      { key: "value", sentence: "Percent off must be from 1 to 100%." },
    ]);
    expect(campaignErrors(errors, { offerType: "PERCENTAGE" }, writer("fr"))).toEqual([
      { key: "inactiveDays", sentence: "Jours sans commande doit être compris entre 1 et 3\u202f650 jours." },
      { key: "value", sentence: "Pourcentage de remise doit être compris entre 1 et 100\u202f%." },
    ]);
  });

  it("the live count falls back to the defaults on half-typed values", () => {
    expect(segmentOf({ inactiveDays: "90", minOrders: "3" })).toEqual({ inactiveDays: 90, minOrders: 3 });
    expect(segmentOf({ inactiveDays: "9x", minOrders: null })).toEqual({ inactiveDays: 180, minOrders: 1 });
  });

  it("names the tag and the offer", () => {
    expect(campaignTag("Spring")).toBe("Regulars win-back Spring");
    const write = {
      money: (amount: string) => `${amount} EUR`,
      percent: (ratio: number) => `${ratio * 100}%`,
    };
    expect(
      offerText(
        { offerType: "FIXED_AMOUNT", percentBps: null, amount: "10.00", minimumSubtotal: "50.00" },
        strings.campaigns.offerWords,
        write,
      ),
    ).toBe("10.00 EUR off, orders from 50.00 EUR");
    expect(
      offerText(
        { offerType: "PERCENTAGE", percentBps: 1250, amount: null, minimumSubtotal: null },
        strings.campaigns.offerWords,
        write,
      ),
    ).toBe("12.5% off");
    expect(
      offerText(
        { offerType: "FIXED_AMOUNT", percentBps: null, amount: "10.00", minimumSubtotal: "50.00" },
        fr.campaigns.offerWords,
        write,
      ),
    ).toBe("10.00 EUR de remise, commandes à partir de 50.00 EUR");
  });
});
