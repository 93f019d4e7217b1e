/**
 * The Home page's onboarding checklist: program on, the rewards launcher
 * (app embed) active and the loyalty block in the live theme (a template or a
 * section group: theme-settings.server.ts reads every page of its files), past
 * orders backfilled. Shown until every step is done or the merchant dismisses
 * it; once every step is done it says so ("all set") until dismissed, as
 * Shopify's own setup guide does. The theme is read through the Admin API and cached briefly per shop;
 * when Shopify cannot be asked (an error, no read_themes scope, its rate limit
 * past the 2 s a request waits, an answer slower than THEME_TIMEOUT_MS in all)
 * those steps show as unknown and the page still loads.
 */
import type { PrismaClient } from "@prisma/client";
import { findProgram } from "../../db/program.server";
import { findShop, markOnboardingDismissed } from "../../db/shops.server";
import type { AdminGraphql } from "../../shopify/admin-api/admin-client.server";
import {
  fetchThemeState,
  themeEditorLinks,
  type ThemeState,
} from "../../shopify/admin-api/theme-settings.server";
import { hasCompletedBackfill } from "../../db/backfill-runs.server";

type StepKey = "program" | "embed" | "block" | "backfill";
type StepState = "done" | "todo" | "unknown";

interface OnboardingStep {
  key: StepKey;
  state: StepState;
  /** Where the step is done: an app page, or the theme editor (opened in the top frame). */
  url: string;
  external: boolean;
}

export interface Onboarding {
  show: boolean;
  /** Every step done: the checklist says the shop is all set. */
  allDone: boolean;
  steps: OnboardingStep[];
}

const THEME_TTL_MS = 60_000;
const FAILURE_TTL_MS = 15_000;
const THEME_TIMEOUT_MS = 3_000;
const themeCache = new Map<string, { until: number; state: ThemeState | null }>();

/** Forgets cached theme state (tests; a merchant back from the theme editor waits at most a minute). */
export function clearThemeCache(shop?: string): void {
  if (shop) themeCache.delete(shop);
  else themeCache.clear();
}

async function themeState(shop: string, admin: AdminGraphql, now: number): Promise<ThemeState | null> {
  const cached = themeCache.get(shop);
  if (cached && cached.until > now) return cached.state;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), THEME_TIMEOUT_MS);
  });
  const state = await Promise.race([fetchThemeState(admin).catch(() => null), timeout]).finally(() =>
    clearTimeout(timer),
  );
  themeCache.set(shop, { until: now + (state ? THEME_TTL_MS : FAILURE_TTL_MS), state });
  return state;
}

export async function onboardingChecklist(
  db: PrismaClient,
  shop: string,
  admin: AdminGraphql,
  input: { apiKey: string; now: Date; adminOrigin?: string },
): Promise<Onboarding> {
  const [record, program, backfilled] = await Promise.all([
    findShop(db, shop),
    findProgram(db, shop),
    hasCompletedBackfill(db, shop),
  ]);
  if (record?.onboardingDismissedAt) return { show: false, allDone: false, steps: [] };
  const links = themeEditorLinks(shop, input.apiKey, input.adminOrigin);
  const theme = await themeState(shop, admin, input.now.getTime());
  const themeStep = (done: boolean | undefined): StepState =>
    done === undefined ? "unknown" : done ? "done" : "todo";
  const steps: OnboardingStep[] = [
    { key: "program", state: program?.active ? "done" : "todo", url: "/app/program", external: false },
    { key: "embed", state: themeStep(theme?.embedActive), url: links.embed, external: true },
    { key: "block", state: themeStep(theme?.blockAdded), url: links.block, external: true },
    { key: "backfill", state: backfilled ? "done" : "todo", url: "/app/backfill", external: false },
  ];
  return { show: true, allDone: steps.every((step) => step.state === "done"), steps };
}

/**
 * The merchant asks to check the theme again (a step that could not be
 * checked, or one just done in the theme editor): the next page load asks Shopify.
 */
export function recheckTheme(shop: string): void {
  clearThemeCache(shop);
}

/** The merchant hides the checklist for good. */
export async function dismissOnboarding(db: PrismaClient, shop: string, now: Date): Promise<boolean> {
  return markOnboardingDismissed(db, shop, now);
}
