/** @jsxImportSource preact */
/**
 * On the customer's profile page (customer-account.profile.block.render,
 * https://shopify.dev/docs/api/customer-account-ui-extensions/latest/targets/profile-(default)/customer-account-profile-block-render):
 * the balance and tier, linking to the Rewards page (the full-page extension
 * customer-account-page, reached as extension://customer-account-page:
 * https://shopify.dev/docs/api/customer-account-ui-extensions/latest/target-apis/platform-apis/navigation-api).
 */
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { Api } from "@shopify/ui-extensions/customer-account.profile.block.render";
import { regularsClient, type Answer, type RegularsClient, type Status } from "../../shared/regulars-client";

export default async () => {
  render(
    <ProfileBlock api={shopify} client={regularsClient("customer-account", shopify.sessionToken)} />,
    document.body,
  );
};

const REWARDS_PAGE = "extension://customer-account-page";

function ProfileBlock({ api, client }: { api: Pick<Api, "i18n">; client: RegularsClient }) {
  const { i18n } = api;
  const [answer, setAnswer] = useState<Answer<Status> | null>(null);
  useEffect(() => void client.status().then(setAnswer), [client]);

  const heading = i18n.translate("profile.heading");
  if (answer === null) {
    return (
      <s-section heading={heading}>
        <s-spinner accessibilityLabel={i18n.translate("loading")} />
      </s-section>
    );
  }
  if (!answer.ok) {
    return (
      <s-section heading={heading}>
        <s-text tone="critical">{i18n.translate(`errors.${answer.error}`)}</s-text>
      </s-section>
    );
  }
  const status = answer.data;
  return (
    <s-section heading={heading}>
      <s-stack gap="small-200">
        {status.loggedIn ? (
          <>
            <s-heading>
              {i18n.translate("points", { count: status.points, points: i18n.formatNumber(status.points) })}
            </s-heading>
            {status.tier ? (
              <s-stack direction="inline" gap="small-200" alignItems="center">
                <s-text>{i18n.translate("tier")}</s-text>
                <s-badge>{status.tier}</s-badge>
              </s-stack>
            ) : null}
            {status.program.active ? null : <s-text color="subdued">{i18n.translate("paused")}</s-text>}
          </>
        ) : (
          <s-text color="subdued">{i18n.translate("no_customer")}</s-text>
        )}
        <s-link href={REWARDS_PAGE}>{i18n.translate("profile.link")}</s-link>
      </s-stack>
    </s-section>
  );
}
