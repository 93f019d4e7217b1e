/**
 * The unsubscribe link in Regulars' emails (GET asks, POST unsubscribes; the
 * one-click POST of the List-Unsubscribe header lands here too). Public: the
 * link's signature is the proof (app/services/notifications/unsubscribe.server.ts).
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { prisma } from "../db.server";
import { answerUnsubscribe } from "../services/notifications/unsubscribe.server";

export const loader = ({ request }: LoaderFunctionArgs) => answerUnsubscribe(prisma, request, new Date());

export const action = ({ request }: ActionFunctionArgs) => answerUnsubscribe(prisma, request, new Date());
