/**
 * The Home page's getting-started steps, until dismissed. A theme step that
 * could not be checked has a Check again button; with every step done it
 * says the shop is all set.
 */
import { useFetcher } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, InlineStack, Text } from "@shopify/polaris";
import type { Onboarding } from "../services/program/onboarding.server";
import { useStrings } from "./i18n";

export function OnboardingChecklist({ onboarding }: { onboarding: Onboarding }) {
  const t = useStrings().onboarding;
  const fetcher = useFetcher<{ ok: boolean }>();
  const recheck = useFetcher<{ ok: boolean }>();
  if (!onboarding.show || fetcher.state !== "idle" || fetcher.data?.ok) return null;
  const done = onboarding.steps.filter((step) => step.state === "done").length;
  const checking = recheck.state !== "idle";
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <BlockStack gap="100">
            <Text as="h2" variant="headingMd">
              {onboarding.allDone ? t.allSetTitle : `${t.title} (${done}/${onboarding.steps.length})`}
            </Text>
            <Text as="p" tone="subdued">
              {onboarding.allDone ? t.allSet : t.help}
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
                <InlineStack gap="200" align="start" blockAlign="center">
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
                <InlineStack gap="200">
                  {step.state === "unknown" ? (
                    <recheck.Form method="post" action="/app/onboarding">
                      <input type="hidden" name="intent" value="recheck" />
                      <Button submit loading={checking}>
                        {t.recheck}
                      </Button>
                    </recheck.Form>
                  ) : null}
                  <Button url={step.url} target={step.external ? "_top" : undefined}>
                    {action}
                  </Button>
                </InlineStack>
              )}
            </InlineStack>
          );
        })}
      </BlockStack>
    </Card>
  );
}
