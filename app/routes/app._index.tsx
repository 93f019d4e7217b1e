import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Card, Layout, Page, Text } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { authenticate } from "../shopify.server";
import { prisma } from "../db.server";
import { findShop } from "../db/shops.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = await findShop(prisma, session.shop);
  return {
    shop: session.shop,
    installedAt: shop?.installedAt?.toISOString() ?? null,
  };
};

export default function Index() {
  const { shop, installedAt } = useLoaderData<typeof loader>();
  return (
    <Page>
      <TitleBar title="Regulars" />
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                Regulars is installed on {shop}
              </Text>
              <Text as="p" variant="bodyMd" tone="subdued">
                {installedAt
                  ? `Installed ${new Date(installedAt).toLocaleString()}.`
                  : "Finishing installation…"}
              </Text>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
