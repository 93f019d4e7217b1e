import { useLoaderData, useNavigate, useSearchParams } from "@remix-run/react";
import {
  Button,
  Card,
  Checkbox,
  EmptyState,
  IndexTable,
  InlineStack,
  Link,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { z } from "zod";
import { ProtectedDataNotice } from "../admin/ProtectedDataNotice";
import { titleMeta } from "../admin/document-title";
import { useFormat, useStrings } from "../admin/i18n";
import { KeyboardScrollable } from "../admin/KeyboardScrollable";
import { useSearchAsYouType } from "../admin/useSearchAsYouType";
import { prisma } from "../db.server";
import { ensureProgram } from "../db/program.server";
import { formatMilli } from "../loyalty/money";
import { listMembers, MEMBER_SORTS } from "../services/members/member-pages.server";
import { adminRoute } from "../http/request-context.server";

export const meta = titleMeta((s) => s.customers.title);
/** As on the dashboard: a prior buyer with no order in this many days. */
const AT_RISK_DAYS = 180;

const querySchema = z.object({
  q: z.string().max(100).optional(),
  tier: z.string().max(40).optional(),
  balance: z.literal("1").optional(),
  risk: z.literal("1").optional(),
  sort: z.enum(MEMBER_SORTS).catch("balance"),
  after: z.string().max(500).optional(),
  before: z.string().max(500).optional(),
});

export const loader = adminRoute(async ({ shop }, { request }) => {
  const url = new URL(request.url);
  const query = querySchema.parse(Object.fromEntries(url.searchParams));
  const [page, program] = await Promise.all([
    listMembers(prisma, shop, {
      search: query.q,
      tierKey: query.tier || undefined,
      hasBalance: query.balance === "1",
      atRiskDays: query.risk === "1" ? AT_RISK_DAYS : undefined,
      sort: query.sort,
      cursor: query.after,
      before: query.before,
    }),
    ensureProgram(prisma, shop),
  ]);
  const filtered = Boolean(
    query.q || query.tier || query.balance || query.risk || query.after || query.before,
  );
  return {
    /** No member at all yet (not merely none matching the filters): the page teaches how members come. */
    noMembers: page.members.length === 0 && !filtered,
    members: page.members.map(({ totalSpentMilli, ...m }) => ({
      ...m,
      spent: formatMilli(totalSpentMilli),
      createdAt: m.createdAt.toISOString(),
      lastOrderAt: m.lastOrderAt?.toISOString() ?? null,
    })),
    nextCursor: page.nextCursor,
    previousCursor: page.previousCursor,
    total: page.total,
    tiers: program.tiers.map((tier) => ({ key: tier.key, name: tier.name })),
    /** Some members on the page have no name or email: Shopify withholds them until it approves Regulars. */
    namesHidden: page.members.some((member) => member.contactHidden),
  };
});

export default function CustomersPage() {
  const t = useStrings().customers;
  const format = useFormat();
  const { members, nextCursor, previousCursor, total, tiers, noMembers, namesHidden } =
    useLoaderData<typeof loader>();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  /** Changing the search or a filter starts again at the first page. */
  const update = (patch: Record<string, string | null>, options?: { replace?: boolean }) => {
    const next = new URLSearchParams(params);
    next.delete("after");
    next.delete("before");
    for (const [key, value] of Object.entries(patch)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setParams(next, options);
  };
  const pageAt = (key: "after" | "before", cursor: string) => {
    const next = new URLSearchParams(params);
    next.delete("after");
    next.delete("before");
    next.set(key, cursor);
    setParams(next);
  };
  // Typing replaces the history entry, as Shopify's admin does: Back leaves the search.
  const search = useSearchAsYouType(params.get("q") ?? "", (q) => update({ q }, { replace: true }));
  const tierName = (key: string | null) => tiers.find((tier) => tier.key === key)?.name ?? "";

  if (noMembers) {
    return (
      <Page title={t.title}>
        <TitleBar title={t.title} />
        <Card>
          <EmptyState
            heading={t.noMembersHeading}
            image=""
            action={{ content: t.noMembersAction, onAction: () => navigate("/app/import") }}
            secondaryAction={{ content: t.noMembersSecondary, onAction: () => navigate("/app/program") }}
          >
            <p>{t.noMembers}</p>
          </EmptyState>
        </Card>
      </Page>
    );
  }

  return (
    <Page title={t.title}>
      <TitleBar title={t.title} />
      {namesHidden ? <ProtectedDataNotice /> : null}
      <Card padding="0">
        <div style={{ padding: "1rem" }}>
          <InlineStack gap="300" blockAlign="end" wrap>
            <form
              role="search"
              style={{ minWidth: "16rem", flex: 1 }}
              onSubmit={(event) => {
                event.preventDefault();
                search.submit();
              }}
            >
              <TextField
                label={t.search}
                value={search.text}
                onChange={search.setText}
                autoComplete="off"
                clearButton
                onClearButtonClick={() => {
                  search.setText("");
                  update({ q: null });
                }}
              />
            </form>
            <Select
              label={t.tier}
              options={[
                { value: "", label: t.anyTier },
                ...tiers.map((tier) => ({ value: tier.key, label: tier.name })),
              ]}
              value={params.get("tier") ?? ""}
              onChange={(tier) => update({ tier })}
            />
            <Select
              label={t.sort}
              options={Object.entries(t.sortOptions).map(([value, label]) => ({ value, label }))}
              value={params.get("sort") ?? "balance"}
              onChange={(sort) => update({ sort })}
            />
            <Checkbox
              label={t.hasBalance}
              checked={params.get("balance") === "1"}
              onChange={(checked) => update({ balance: checked ? "1" : null })}
            />
            <Checkbox
              label={t.atRisk(AT_RISK_DAYS)}
              checked={params.get("risk") === "1"}
              onChange={(checked) => update({ risk: checked ? "1" : null })}
            />
          </InlineStack>
        </div>
        {members.length === 0 ? (
          <EmptyState
            heading={t.empty}
            image=""
            action={{
              content: t.clearFilters,
              onAction: () => {
                search.setText("");
                setParams(new URLSearchParams(params.get("sort") ? { sort: params.get("sort")! } : {}));
              },
            }}
          >
            <p>{t.emptyFiltered}</p>
          </EmptyState>
        ) : (
          <KeyboardScrollable label={t.title}>
            <IndexTable
              resourceName={{ singular: "member", plural: "members" }}
              itemCount={members.length}
              selectable={false}
              headings={[
                { title: t.columns.customer },
                { title: t.columns.email },
                { title: t.columns.balance, alignment: "end" },
                { title: t.columns.pending, alignment: "end" },
                { title: t.columns.tier },
                { title: t.columns.spent, alignment: "end" },
                { title: t.columns.orders, alignment: "end" },
                { title: t.columns.lastOrder },
              ]}
            >
              {members.map((member, index) => (
                // The name is a link, the row's primary one: a click anywhere on the row follows it, and
                // the keyboard reaches it with Tab and opens it with Enter, as in Shopify's admin.
                <IndexTable.Row id={member.id} key={member.id} position={index}>
                  <IndexTable.Cell>
                    <Link url={`/app/customers/${member.id}`} dataPrimaryLink monochrome removeUnderline>
                      <Text as="span" fontWeight="semibold">
                        {member.label}
                      </Text>
                    </Link>
                  </IndexTable.Cell>
                  <IndexTable.Cell>{member.email ?? ""}</IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" alignment="end" numeric>
                      {format.number(member.balance)}
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" alignment="end" numeric>
                      {format.number(member.pending)}
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>{tierName(member.tierKey)}</IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" alignment="end" numeric>
                      {format.number(member.spent, { minimum: 2, maximum: 2 })}
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" alignment="end" numeric>
                      {format.number(member.orderCount)}
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    {member.lastOrderAt ? format.date(member.lastOrderAt) : ""}
                  </IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
          </KeyboardScrollable>
        )}
        <div style={{ padding: "1rem" }}>
          <InlineStack gap="200" align="space-between" blockAlign="center">
            <Text as="p" tone="subdued">
              {t.total(total)}
            </Text>
            {previousCursor || nextCursor ? (
              <InlineStack gap="200">
                <Button
                  disabled={!previousCursor}
                  onClick={() => previousCursor && pageAt("before", previousCursor)}
                >
                  {t.previous}
                </Button>
                <Button disabled={!nextCursor} onClick={() => nextCursor && pageAt("after", nextCursor)}>
                  {t.next}
                </Button>
              </InlineStack>
            ) : null}
          </InlineStack>
        </div>
      </Card>
    </Page>
  );
}
