/**
 * Customers' data requests waiting for the merchant (Home's attention list,
 * and the customer's page): who asked and when, Shopify's 30-day deadline,
 * "Download data" (everything Regulars holds on the customer) and "Mark as
 * delivered". Shown only while a request waits.
 */
import { useState } from "react";
import { Link as RemixLink, useRevalidator } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, InlineStack, Text } from "@shopify/polaris";
import { useAppBridge } from "@shopify/app-bridge-react";
import type { WaitingRequest } from "../services/privacy/data-requests.server";
import { useFormat, useStrings } from "./i18n";
import { useDownload } from "./useDownload";

function RequestRow({ request }: { request: WaitingRequest }) {
  const t = useStrings().dataRequests;
  const { date: day } = useFormat();
  const shopify = useAppBridge();
  const revalidator = useRevalidator();
  const { download, busy } = useDownload();
  const [marking, setMarking] = useState(false);
  const downloadPath = `/app/data-requests/${request.id}/download`;
  // A plain fetch (App Bridge adds the session token), not a fetcher: once marked, the request
  // leaves the list and this row unmounts, so the toast cannot wait for a re-render.
  const markDelivered = async () => {
    setMarking(true);
    try {
      const response = await fetch(`/app/data-requests/${request.id}`, {
        method: "POST",
        body: new URLSearchParams({ intent: "delivered" }),
      });
      const answer = (await response.json().catch(() => ({}))) as {
        ok?: boolean;
        message?: string;
        error?: string;
      };
      shopify.toast.show((answer.ok ? answer.message : answer.error) ?? t.failed, { isError: !answer.ok });
    } catch {
      shopify.toast.show(t.failed, { isError: true });
    } finally {
      setMarking(false);
      revalidator.revalidate();
    }
  };
  const who = request.name ?? request.email ?? t.customerNumber(request.customerId);
  return (
    <InlineStack align="space-between" blockAlign="center" gap="300" wrap>
      <BlockStack gap="050">
        <InlineStack gap="200" blockAlign="center">
          <Text as="h3" variant="headingSm">
            {request.memberId ? <RemixLink to={`/app/customers/${request.memberId}`}>{who}</RemixLink> : who}
          </Text>
          {request.overdue ? <Badge tone="critical">{t.overdue}</Badge> : null}
        </InlineStack>
        <Text as="p" tone="subdued">
          {t.dates(day(request.requestedAt), day(request.respondBy))}
        </Text>
      </BlockStack>
      <InlineStack gap="200">
        <Button onClick={() => download(downloadPath)} loading={busy === downloadPath}>
          {t.download}
        </Button>
        <Button variant="primary" loading={marking} onClick={() => void markDelivered()}>
          {t.markDelivered}
        </Button>
      </InlineStack>
    </InlineStack>
  );
}

export function DataRequestsCard({ requests, total }: { requests: WaitingRequest[]; total: number }) {
  const t = useStrings().dataRequests;
  if (total === 0) return null;
  return (
    <Card>
      <BlockStack gap="300">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            {t.title(total)}
          </Text>
          <Text as="p" tone="subdued">
            {t.help}
          </Text>
        </BlockStack>
        {requests.map((request) => (
          <RequestRow key={request.id} request={request} />
        ))}
        {total > requests.length ? (
          <Text as="p" tone="subdued">
            {t.more(total - requests.length)}
          </Text>
        ) : null}
      </BlockStack>
    </Card>
  );
}
