/** The Home page's getting-started steps, until they are all done or dismissed. */
import { useFetcher } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, InlineStack, Text } from "@shopify/polaris";
import type { Onboarding } from "../services/program/onboarding.server";
import { useStrings } from "./i18n";

export function OnboardingChecklist({ onboarding }: { onboarding: Onboarding }) {
  const t = useStrings().onboarding;
  const fetcher = useFetcher<{ ok: boolean }>();
  if (!onboarding.show || fetcher.state !== "idle" || fetcher.data?.ok) return null;
  const done = onboarding.steps.filter((step) => step.state === "done").length;
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <BlockStack gap="100">
            <Text as="h2" variant="headingMd">
              {`${t.title} (${done}/${onboarding.steps.length})`}
            </Text>
            <Text as="p" tone="subdued">
              {t.help}
            </Text>
          </BlockStack>
          <fetcher.Form method="post" action="/app/onboarding">
            <input type="hidden" name="intent" value="dismiss" />
            <Button submit variant="plain">
              {t.dismiss}
            </Button>
          </fetcher.Form>
        </InlineStack>
        {onboarding.steps.map((step) => {
          const [title, help, action] = t.steps[step.key];
          return (
            <InlineStack key={step.key} align="space-between" blockAlign="center" gap="300">
              <BlockStack gap="050">
                <InlineStack gap="200" blockAlign="center">
                  <Text as="h3" variant="headingSm">
                    {title}
                  </Text>
                  {step.state === "done" ? (
                    <Badge tone="success">{t.done}</Badge>
                  ) : step.state === "unknown" ? (
                    <Badge tone="attention">{t.unknown}</Badge>
                  ) : null}
                </InlineStack>
                <Text as="p" tone="subdued">
                  {help}
                </Text>
              </BlockStack>
              {step.state === "done" ? null : (
                <Button url={step.url} target={step.external ? "_top" : undefined}>
                  {action}
                </Button>
              )}
            </InlineStack>
          );
        })}
      </BlockStack>
    </Card>
  );
}
