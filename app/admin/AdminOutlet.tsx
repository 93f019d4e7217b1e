/**
 * The admin pages' outlet: while the app navigates to another page (its
 * loader is running), a skeleton of a page stands in for the old one, so a
 * click is answered at once and stale figures never pass for new ones.
 * Changes within a page (filters, the dashboard's period) keep the page.
 */
import { Outlet, useLocation, useNavigation } from "@remix-run/react";
import { Card, Layout, SkeletonBodyText, SkeletonDisplayText, SkeletonPage } from "@shopify/polaris";
import { useStrings } from "./i18n";

function PageSkeleton() {
  const strings = useStrings();
  return (
    <div role="status" aria-live="polite" aria-label={strings.loading}>
      <SkeletonPage primaryAction>
        <Layout>
          <Layout.Section>
            <Card>
              <SkeletonDisplayText size="small" />
              <div style={{ marginTop: "1rem" }}>
                <SkeletonBodyText lines={4} />
              </div>
            </Card>
          </Layout.Section>
          <Layout.Section>
            <Card>
              <SkeletonBodyText lines={8} />
            </Card>
          </Layout.Section>
        </Layout>
      </SkeletonPage>
    </div>
  );
}

export function AdminOutlet() {
  const navigation = useNavigation();
  const location = useLocation();
  const toAnotherPage =
    navigation.state === "loading" &&
    navigation.formMethod === undefined &&
    navigation.location.pathname !== location.pathname;
  return toAnotherPage ? <PageSkeleton /> : <Outlet />;
}
