/**
 * Which orders a bonus event applies to, on the Bonus events form: every
 * order, or the products in chosen collections (decision 0022). Choosing
 * collections needs read_products, an optional scope: without it the choice
 * is off, the card says why and asks for it through App Bridge
 * (https://shopify.dev/docs/api/app-home/apis/scopes).
 */
import { useState } from "react";
import { useRevalidator } from "@remix-run/react";
import { Banner, BlockStack, ChoiceList, Select, Text } from "@shopify/polaris";
import { useAppBridge } from "@shopify/app-bridge-react";
import { BONUS_EVENT_LIMITS, COLLECTION_SCOPES } from "../loyalty/bonus-events";
import { useStrings } from "./i18n";

export interface CollectionsOffer {
  /** The shop granted read_products. */
  on: boolean;
  /** The collections to choose from (first by title), null when Shopify did not answer. */
  choices: { id: string; title: string }[] | null;
  /** There are more than those. */
  more: boolean;
}

export function EventScopeFields({
  offer,
  scope,
  collections,
  onScope,
  onCollections,
  scopeError,
  collectionsError,
}: {
  offer: CollectionsOffer;
  scope: string;
  /** The chosen Collection GIDs, comma-separated (as the form posts them). */
  collections: string;
  onScope: (scope: string) => void;
  onCollections: (collections: string) => void;
  scopeError?: string;
  collectionsError?: string;
}) {
  const t = useStrings().bonusEvents;
  const shopify = useAppBridge();
  const revalidator = useRevalidator();
  const [declined, setDeclined] = useState(false);
  const allow = async () => {
    const answer = await shopify.scopes.request([...COLLECTION_SCOPES]);
    if (answer.result === "granted-all") revalidator.revalidate();
    else setDeclined(true);
  };
  const chosen = collections.split(",").filter(Boolean);
  const choices = offer.choices ?? [];
  // A saved event's collection gone from the shop stays listed, so the merchant sees it and can untick it.
  const listed = [
    ...choices,
    ...chosen.filter((id) => !choices.some((c) => c.id === id)).map((id) => ({ id, title: id })),
  ];

  return (
    <BlockStack gap="300">
      <Select
        label={t.appliesTo}
        options={Object.entries(t.scopes).map(([value, label]) => ({
          value,
          label,
          disabled: value === "COLLECTIONS" && !offer.on,
        }))}
        value={scope}
        onChange={onScope}
        error={scopeError}
      />
      {offer.on ? null : (
        <Banner
          tone={declined ? "warning" : "info"}
          title={t.collectionsOffTitle}
          action={{ content: t.allowProducts, onAction: () => void allow() }}
        >
          <Text as="p">{declined ? t.collectionsDeclined : t.collectionsOff}</Text>
        </Banner>
      )}
      {offer.on && scope === "COLLECTIONS" ? (
        offer.choices === null ? (
          <Banner tone="warning">
            <Text as="p">{t.collectionsUnavailable}</Text>
          </Banner>
        ) : listed.length === 0 ? (
          <Text as="p" tone="subdued">
            {t.noCollections}
          </Text>
        ) : (
          <BlockStack gap="100">
            {/* A long list scrolls inside the card (up to 250 collections). */}
            <div style={{ maxHeight: "16rem", overflowY: "auto" }}>
              <ChoiceList
                title={t.collections}
                allowMultiple
                choices={listed.map((c) => ({ value: c.id, label: c.title }))}
                selected={chosen}
                onChange={(selected) => onCollections(selected.join(","))}
                error={collectionsError}
              />
            </div>
            <Text as="p" tone="subdued">
              {t.collectionsHelp(BONUS_EVENT_LIMITS.collectionsMax)}
              {offer.more ? ` ${t.someCollections(choices.length)}` : ""}
            </Text>
          </BlockStack>
        )
      ) : null}
    </BlockStack>
  );
}
