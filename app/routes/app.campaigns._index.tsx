import { useLoaderData, useNavigate } from "@remix-run/react";
import { Badge, Card, EmptyState, IndexTable, Page } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { titleMeta } from "../admin/document-title";
import { useFormat, useStrings } from "../admin/i18n";
import { KeyboardScrollable } from "../admin/KeyboardScrollable";
import { prisma } from "../db.server";
import { listCampaigns } from "../services/campaigns/campaigns.server";
import { adminRoute } from "../http/request-context.server";

export const meta = titleMeta((s) => s.campaigns.title);

export const loader = adminRoute(async ({ shop }) => {
  return { campaigns: await listCampaigns(prisma, shop) };
});

const statusTone = { RUNNING: "attention", DONE: "success", CANCELLED: undefined } as const;

export default function CampaignsPage() {
  const t = useStrings().campaigns;
  const format = useFormat();
  const { campaigns } = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  return (
    <Page
      title={t.title}
      primaryAction={{ content: t.newCampaign, onAction: () => navigate("/app/campaigns/new") }}
    >
      <TitleBar title={t.title} />
      {campaigns.length === 0 ? (
        <Card>
          <EmptyState
            heading={t.emptyHeading}
            image=""
            action={{ content: t.newCampaign, onAction: () => navigate("/app/campaigns/new") }}
          >
            <p>{t.empty}</p>
          </EmptyState>
        </Card>
      ) : (
        <Card padding="0">
          <KeyboardScrollable label={t.title}>
            <IndexTable
              resourceName={{ singular: "campaign", plural: "campaigns" }}
              itemCount={campaigns.length}
              selectable={false}
              headings={[
                { title: t.columns.name },
                { title: t.columns.status },
                { title: t.columns.launched },
                { title: t.columns.recipients, alignment: "end" },
                { title: t.columns.progress, alignment: "end" },
              ]}
            >
              {campaigns.map((campaign, index) => (
                <IndexTable.Row
                  id={campaign.id}
                  key={campaign.id}
                  position={index}
                  onClick={() => navigate(`/app/campaigns/${campaign.id}`)}
                >
                  <IndexTable.Cell>{campaign.name}</IndexTable.Cell>
                  <IndexTable.Cell>
                    <Badge tone={statusTone[campaign.status]}>{t.statuses[campaign.status]}</Badge>
                  </IndexTable.Cell>
                  <IndexTable.Cell>{format.date(campaign.launchedAt)}</IndexTable.Cell>
                  <IndexTable.Cell>{format.number(campaign.recipientCount)}</IndexTable.Cell>
                  <IndexTable.Cell>
                    {format.number(campaign.progress.codesCreated)} /{" "}
                    {format.number(campaign.progress.recipients)}
                  </IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
          </KeyboardScrollable>
        </Card>
      )}
    </Page>
  );
}
