import { useEffect, useId, useState, type FormEvent } from "react";
import { useFetcher } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  InlineError,
  InlineStack,
  Layout,
  List,
  Page,
  Select,
  Text,
} from "@shopify/polaris";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { z } from "zod";
import { titleMeta } from "../admin/document-title";
import { errorSentence } from "../admin/field-error-words";
import { useErrorWriter, useStrings } from "../admin/i18n";
import { useDownload } from "../admin/useDownload";
import { prisma } from "../db.server";
import {
  importBalances,
  type ImportError,
  type ImportReport,
} from "../services/members/balance-import.server";
import { adminRoute } from "../http/request-context.server";

export const meta = titleMeta((s) => s.importExport.title);

const MAX_BYTES = 5 * 1024 * 1024;

export const loader = adminRoute(async () => null);

const formSchema = z.object({
  intent: z.enum(["dry-run", "import"]),
  mode: z.enum(["add", "set"]),
});

export const action = adminRoute(async ({ shop, staffId, now, strings }, { request }) => {
  const t = (await strings()).importExport;
  const form = await request.formData();
  const parsed = formSchema.safeParse({ intent: form.get("intent"), mode: form.get("mode") });
  const file = form.get("csv");
  if (!parsed.success || !(file instanceof File) || file.size === 0) {
    return Response.json({ error: t.noFile }, { status: 422 });
  }
  if (file.size > MAX_BYTES) return Response.json({ error: t.tooBig }, { status: 413 });
  const csv = await file.text();
  const report = await importBalances(prisma, shop, {
    csv,
    mode: parsed.data.mode,
    dryRun: parsed.data.intent === "dry-run",
    staffId,
    now: now(),
  });
  return Response.json(report, { status: report.errors.length > 0 ? 422 : 200 });
});

export default function ImportExportPage() {
  const t = useStrings().importExport;
  const writer = useErrorWriter();
  // "Line 4: The email "bob@" is not an email address.", in the staff member's language.
  const importErrorSentence = ({ line, about, value, error }: ImportError) => {
    const subjects = t.errorSubjects;
    const subject = about === "email" || about === "points" ? subjects[about](value ?? "") : subjects[about];
    return t.lineError(line, errorSentence(subject, error, writer));
  };
  const fetcher = useFetcher<ImportReport | { error: string }>();
  const [mode, setMode] = useState("add");
  const data = fetcher.data;
  const report = data && "rows" in data ? data : null;
  const shopify = useAppBridge();
  const { download, busy } = useDownload();
  const fileId = useId();
  // Checked here before anything is sent (the server says the same if it gets no file).
  const [fileError, setFileError] = useState<string | null>(null);
  const serverError = data && "error" in data ? data.error : null;
  const checkFile = (event: FormEvent<HTMLFormElement>) => {
    const input = event.currentTarget.elements.namedItem("csv") as HTMLInputElement | null;
    if (input?.files?.length) return setFileError(null);
    event.preventDefault();
    setFileError(t.noFile);
    input?.focus();
  };
  useEffect(() => {
    if (fetcher.state !== "idle" || !fetcher.data || !("rows" in fetcher.data)) return;
    const done = fetcher.data;
    if (done.errors.length === 0) shopify.toast.show(done.dryRun ? t.checked : t.imported(done.changes));
  }, [fetcher.state, fetcher.data, shopify, t]);
  return (
    <Page title={t.title}>
      <TitleBar title={t.title} />
      <Layout>
        <Layout.AnnotatedSection title={t.importTitle} description={t.importHelp}>
          <Card>
            <fetcher.Form method="post" encType="multipart/form-data" onSubmit={checkFile} noValidate>
              <BlockStack gap="300">
                <BlockStack gap="100">
                  <label htmlFor={fileId}>
                    <Text as="span">{t.file}</Text>
                  </label>
                  <input
                    id={fileId}
                    type="file"
                    name="csv"
                    accept=".csv,text/csv"
                    aria-invalid={fileError ? true : undefined}
                    aria-describedby={fileError ? `${fileId}Error` : undefined}
                    onChange={() => setFileError(null)}
                  />
                  {fileError ? <InlineError message={fileError} fieldID={fileId} /> : null}
                </BlockStack>
                <Select
                  label={t.mode}
                  name="mode"
                  value={mode}
                  onChange={setMode}
                  options={Object.entries(t.modes).map(([value, label]) => ({ value, label }))}
                />
                <InlineStack gap="200">
                  <button type="submit" name="intent" value="dry-run" className="Polaris-Button">
                    {t.dryRun}
                  </button>
                  <Button submit variant="primary" loading={fetcher.state !== "idle"}>
                    {t.run}
                  </Button>
                  <input type="hidden" name="intent" value="import" />
                </InlineStack>
                {serverError && !fileError ? <Banner tone="critical">{serverError}</Banner> : null}
                {report && report.errors.length > 0 ? (
                  <Banner tone="critical" title={t.errorsTitle(report.errors.length)}>
                    <List>
                      {report.errors.slice(0, 200).map((error) => (
                        <List.Item key={error.line}>{importErrorSentence(error)}</List.Item>
                      ))}
                    </List>
                  </Banner>
                ) : report ? (
                  <Banner tone={report.dryRun ? "info" : "success"}>{t.report(report)}</Banner>
                ) : null}
              </BlockStack>
            </fetcher.Form>
          </Card>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection title={t.exportTitle}>
          <Card>
            <InlineStack gap="300">
              <Button
                onClick={() => download("/app/export/members")}
                loading={busy === "/app/export/members"}
              >
                {t.exportMembers}
              </Button>
              <Button onClick={() => download("/app/export/ledger")} loading={busy === "/app/export/ledger"}>
                {t.exportLedger}
              </Button>
            </InlineStack>
          </Card>
        </Layout.AnnotatedSection>
      </Layout>
    </Page>
  );
}
