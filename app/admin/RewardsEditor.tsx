/**
 * The rewards catalog on the Program page: add, edit, turn on or off,
 * reorder and remove rewards. It edits the page's form (saved with the rest
 * from the save bar); removal asks first and says what happens to codes
 * already issued.
 */
import { useState } from "react";
import { useRevalidator } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Checkbox,
  Divider,
  FormLayout,
  InlineStack,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { Modal, TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { REWARD_TYPES, STORE_CREDIT_SCOPES, type RewardType } from "../loyalty/rewards";
import { NEW_REWARD, type RewardForm, type TierForm } from "./program-form";
import { useStrings } from "./i18n";

export interface RewardsEditorProps {
  rewards: RewardForm[];
  /** Saved tiers (with a key) a reward can be limited to. */
  tiers: TierForm[];
  errors: Record<string, string | undefined>;
  /** Codes issued per reward key, for the removal confirmation. */
  codesByReward: Record<string, number>;
  /** The shop granted the store credit scopes; without them store credit rewards are off. */
  storeCredit: boolean;
  onChange: (rewards: RewardForm[]) => void;
  /** Removes the reward at `index` (the page also clears tiers that named it as entry reward). */
  onRemove: (index: number) => void;
}

export function RewardsEditor({
  rewards,
  tiers,
  errors,
  codesByReward,
  storeCredit,
  onChange,
  onRemove,
}: RewardsEditorProps) {
  const strings = useStrings();
  const t = strings.program.reward;
  const shopify = useAppBridge();
  const [removing, setRemoving] = useState<number | null>(null);
  const [creditDeclined, setCreditDeclined] = useState(false);
  const revalidator = useRevalidator();
  /**
   * The store credit scopes are optional (shopify.app.toml): App Bridge asks the merchant for
   * them (a permission grant modal); once granted, app/scopes_update reaches the app and the
   * page reloads with them. https://shopify.dev/docs/api/app-home/apis/scopes
   */
  const allowStoreCredit = async () => {
    const answer = await shopify.scopes.request([...STORE_CREDIT_SCOPES]);
    if (answer.result === "granted-all") revalidator.revalidate();
    else setCreditDeclined(true);
  };
  const usesStoreCredit = rewards.some((reward) => reward.type === "STORE_CREDIT");
  const set = (index: number, patch: Partial<RewardForm>) =>
    onChange(rewards.map((reward, i) => (i === index ? { ...reward, ...patch } : reward)));
  const move = (index: number, by: -1 | 1) => {
    const next = [...rewards];
    [next[index], next[index + by]] = [next[index + by]!, next[index]!];
    onChange(next);
  };
  const removingReward = removing === null ? null : rewards[removing];
  const entryOf = (key: string) =>
    tiers
      .filter((tier) => key && tier.entryRewardKey === key)
      .map((tier) => tier.name)
      .join(", ");
  const savedTiers = tiers.filter((tier) => tier.key);

  return (
    <BlockStack gap="400">
      {usesStoreCredit && !storeCredit ? (
        <Banner
          tone="warning"
          title={t.storeCreditOffTitle}
          action={{ content: t.allowStoreCredit, onAction: () => void allowStoreCredit() }}
        >
          <Text as="p">{creditDeclined ? t.storeCreditDeclined : t.storeCreditOff}</Text>
        </Banner>
      ) : null}
      {rewards.length === 0 ? (
        <Text as="p" tone="subdued">
          {strings.program.rewardsEmpty}
        </Text>
      ) : null}
      {rewards.map((reward, i) => {
        const error = (field: keyof RewardForm) => errors[`rewards.${i}.${field}`];
        const name = reward.title || t.untitled;
        return (
          <BlockStack key={reward.id || `new-${i}`} gap="300">
            {i > 0 ? <Divider /> : null}
            <InlineStack align="space-between" blockAlign="center">
              <InlineStack gap="200" blockAlign="center">
                <Text as="h3" variant="headingSm">
                  {name}
                </Text>
                {reward.enabled ? null : <Badge>{t.disabled}</Badge>}
                {reward.enabled && reward.type === "STORE_CREDIT" && !storeCredit ? (
                  <Badge tone="warning">{t.storeCreditOffBadge}</Badge>
                ) : null}
              </InlineStack>
              <InlineStack gap="200">
                <Button
                  size="slim"
                  disabled={i === 0}
                  accessibilityLabel={t.moveUp(name)}
                  onClick={() => move(i, -1)}
                >
                  {t.up}
                </Button>
                <Button
                  size="slim"
                  disabled={i === rewards.length - 1}
                  accessibilityLabel={t.moveDown(name)}
                  onClick={() => move(i, 1)}
                >
                  {t.down}
                </Button>
                <Button
                  size="slim"
                  tone="critical"
                  variant="plain"
                  onClick={() => {
                    setRemoving(i);
                    shopify.modal.show("remove-reward");
                  }}
                >
                  {t.remove}
                </Button>
              </InlineStack>
            </InlineStack>
            <FormLayout>
              <FormLayout.Group>
                <TextField
                  label={t.title}
                  value={reward.title}
                  onChange={(title) => set(i, { title })}
                  error={error("title")}
                  helpText={t.titleHelp}
                  autoComplete="off"
                />
                <Select
                  label={t.type}
                  options={REWARD_TYPES.map((value) => ({ value, label: t.types[value] }))}
                  value={reward.type}
                  onChange={(type) => set(i, { type: type as RewardType })}
                />
              </FormLayout.Group>
              <FormLayout.Group>
                <TextField
                  label={t.pointsCost}
                  value={reward.pointsCost}
                  onChange={(pointsCost) => set(i, { pointsCost })}
                  error={error("pointsCost")}
                  suffix={t.points}
                  inputMode="numeric"
                  autoComplete="off"
                />
                {reward.type === "FIXED_AMOUNT" || reward.type === "STORE_CREDIT" ? (
                  <TextField
                    label={reward.type === "STORE_CREDIT" ? t.creditAmount : t.amount}
                    helpText={reward.type === "STORE_CREDIT" ? t.creditAmountHelp : undefined}
                    value={reward.amount}
                    onChange={(amount) => set(i, { amount })}
                    error={error("amount")}
                    inputMode="decimal"
                    autoComplete="off"
                  />
                ) : null}
                {reward.type === "PERCENTAGE" ? (
                  <TextField
                    label={t.percent}
                    value={reward.percent}
                    onChange={(percent) => set(i, { percent })}
                    error={error("percent")}
                    suffix="%"
                    inputMode="decimal"
                    autoComplete="off"
                  />
                ) : null}
                <TextField
                  label={reward.type === "STORE_CREDIT" ? t.creditLifetimeDays : t.codeLifetimeDays}
                  value={reward.codeLifetimeDays}
                  onChange={(codeLifetimeDays) => set(i, { codeLifetimeDays })}
                  error={error("codeLifetimeDays")}
                  suffix={t.days}
                  inputMode="numeric"
                  autoComplete="off"
                />
              </FormLayout.Group>
              <FormLayout.Group>
                {reward.type === "STORE_CREDIT" ? null : (
                  <TextField
                    label={t.minimumSubtotal}
                    value={reward.minimumSubtotal}
                    onChange={(minimumSubtotal) => set(i, { minimumSubtotal })}
                    error={error("minimumSubtotal")}
                    helpText={t.minimumHelp}
                    inputMode="decimal"
                    autoComplete="off"
                  />
                )}
                <TextField
                  label={t.key}
                  value={reward.key}
                  onChange={(key) => set(i, { key })}
                  error={error("key")}
                  helpText={reward.id ? t.keySavedHelp : t.keyHelp}
                  readOnly={reward.id !== ""}
                  autoComplete="off"
                />
              </FormLayout.Group>
              {reward.type === "FIXED_AMOUNT" || reward.type === "STORE_CREDIT" ? (
                <BlockStack gap="200">
                  <Checkbox
                    label={t.anyAmount}
                    helpText={t.anyAmountHelp}
                    checked={reward.anyAmount ?? false}
                    onChange={(anyAmount) => set(i, { anyAmount })}
                  />
                  {reward.anyAmount ? (
                    <FormLayout.Group>
                      <TextField
                        label={t.anyMin}
                        value={reward.anyMin ?? ""}
                        onChange={(anyMin) => set(i, { anyMin })}
                        error={error("anyMin")}
                        suffix={t.points}
                        inputMode="numeric"
                        autoComplete="off"
                      />
                      <TextField
                        label={t.anyMax}
                        value={reward.anyMax ?? ""}
                        onChange={(anyMax) => set(i, { anyMax })}
                        error={error("anyMax")}
                        suffix={t.points}
                        inputMode="numeric"
                        autoComplete="off"
                      />
                    </FormLayout.Group>
                  ) : null}
                </BlockStack>
              ) : null}
              {reward.type === "STORE_CREDIT" ? (
                <Text as="p" tone="subdued">
                  {t.storeCreditHelp}
                </Text>
              ) : (
                <BlockStack gap="100">
                  <Text as="p">{t.combines}</Text>
                  <InlineStack gap="400">
                    <Checkbox
                      label={t.combinesWithOrder}
                      checked={reward.combinesWithOrder}
                      onChange={(combinesWithOrder) => set(i, { combinesWithOrder })}
                    />
                    <Checkbox
                      label={t.combinesWithProduct}
                      checked={reward.combinesWithProduct}
                      onChange={(combinesWithProduct) => set(i, { combinesWithProduct })}
                    />
                    <Checkbox
                      label={t.combinesWithShipping}
                      checked={reward.combinesWithShipping}
                      onChange={(combinesWithShipping) => set(i, { combinesWithShipping })}
                    />
                  </InlineStack>
                </BlockStack>
              )}
              {savedTiers.length > 1 ? (
                <BlockStack gap="100">
                  <Text as="p">{t.tiers}</Text>
                  <InlineStack gap="400">
                    {savedTiers.map((tier) => (
                      <Checkbox
                        key={tier.key}
                        label={tier.name}
                        checked={reward.tierKeys.includes(tier.key)}
                        onChange={(checked) =>
                          set(i, {
                            tierKeys: checked
                              ? [...reward.tierKeys, tier.key]
                              : reward.tierKeys.filter((key) => key !== tier.key),
                          })
                        }
                      />
                    ))}
                  </InlineStack>
                  <Text as="p" tone={error("tierKeys") ? "critical" : "subdued"} variant="bodySm">
                    {error("tierKeys") ?? t.tiersHelp}
                  </Text>
                </BlockStack>
              ) : null}
              <Checkbox
                label={t.enabled}
                checked={reward.enabled}
                onChange={(enabled) => set(i, { enabled })}
              />
            </FormLayout>
          </BlockStack>
        );
      })}
      <Box>
        <Button onClick={() => onChange([...rewards, { ...NEW_REWARD }])}>{t.add}</Button>
      </Box>
      <Modal id="remove-reward">
        <Box padding="400">
          <BlockStack gap="200">
            <Text as="p">{removingReward ? t.removeBody(codesByReward[removingReward.key] ?? 0) : ""}</Text>
            {removingReward && entryOf(removingReward.key) ? (
              <Text as="p">{t.removeEntry(entryOf(removingReward.key))}</Text>
            ) : null}
          </BlockStack>
        </Box>
        <TitleBar title={removingReward ? t.removeTitle(removingReward.title || t.untitled) : ""}>
          <button
            variant="primary"
            tone="critical"
            onClick={() => {
              if (removing !== null) onRemove(removing);
              setRemoving(null);
              shopify.modal.hide("remove-reward");
            }}
          >
            {t.remove}
          </button>
          <button onClick={() => shopify.modal.hide("remove-reward")}>{strings.program.cancel}</button>
        </TitleBar>
      </Modal>
    </BlockStack>
  );
}
