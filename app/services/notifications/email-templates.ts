/**
 * The emails Regulars sends for a shop, in the four languages of the theme
 * extension (en, fr, de, es): subject, plain text and HTML, every value
 * escaped. Pure (no I/O), so the admin's preview renders the very templates
 * the notification-send job sends, with sample data.
 */

export const EMAIL_LOCALES = ["en", "fr", "de", "es"] as const;
export type EmailLocale = (typeof EMAIL_LOCALES)[number];

export const EMAIL_EVENTS = ["pointsEarned", "rewardReady", "pointsExpiring", "tierReached"] as const;
export type EmailEvent = (typeof EMAIL_EVENTS)[number];

export type EmailFacts =
  | { event: "pointsEarned"; points: number; balance: number }
  | { event: "rewardReady"; reward: string; code: string; expiresAt: Date }
  | { event: "pointsExpiring"; points: number; expiresAt: Date }
  | { event: "tierReached"; tier: string };

export interface EmailInput {
  locale: EmailLocale;
  shopName: string;
  firstName: string | null;
  facts: EmailFacts;
  unsubscribeUrl: string;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/**
 * A customer's locale as Shopify gives it ("fr", "fr-CA", "pt-BR") to one of
 * ours, else the fallback (the shop's language, as the merchant set it).
 */
export function emailLocaleOf(locale: string | null | undefined, fallback: EmailLocale): EmailLocale {
  const language = (locale ?? "").trim().toLowerCase().split(/[-_]/)[0];
  return (EMAIL_LOCALES as readonly string[]).includes(language ?? "") ? (language as EmailLocale) : fallback;
}

export function isEmailLocale(value: unknown): value is EmailLocale {
  return (EMAIL_LOCALES as readonly unknown[]).includes(value);
}

interface Words {
  hello: (name: string | null) => string;
  pointsEarned: {
    subject: (points: string, shop: string) => string;
    body: (points: string, balance: string) => string;
  };
  rewardReady: {
    subject: (reward: string, shop: string) => string;
    body: (reward: string) => string;
    code: (code: string) => string;
    expires: (date: string) => string;
  };
  pointsExpiring: {
    subject: (points: string, shop: string) => string;
    body: (points: string, date: string) => string;
  };
  tierReached: { subject: (tier: string, shop: string) => string; body: (tier: string) => string };
  why: (shop: string) => string;
  unsubscribe: string;
}

const WORDS: Record<EmailLocale, Words> = {
  en: {
    hello: (name) => (name ? `Hello ${name},` : "Hello,"),
    pointsEarned: {
      subject: (points, shop) => `You earned ${points} points at ${shop}`,
      body: (points, balance) => `You earned ${points} points. Your balance is now ${balance} points.`,
    },
    rewardReady: {
      subject: (reward, shop) => `Your reward is ready: ${reward} at ${shop}`,
      body: (reward) => `Your reward "${reward}" is ready to use. Enter this code at checkout:`,
      code: (code) => code,
      expires: (date) => `The code works until ${date}.`,
    },
    pointsExpiring: {
      subject: (points, shop) => `Your ${points} points at ${shop} expire soon`,
      body: (points, date) =>
        `Your ${points} points expire on ${date}. Earn or spend points before then to keep them.`,
    },
    tierReached: {
      subject: (tier, shop) => `Welcome to ${tier} at ${shop}`,
      body: (tier) => `You reached the ${tier} tier. Thank you for being a regular!`,
    },
    why: (shop) => `You get this email because you subscribed to emails from ${shop}.`,
    unsubscribe: "Unsubscribe from these emails",
  },
  fr: {
    hello: (name) => (name ? `Bonjour ${name},` : "Bonjour,"),
    pointsEarned: {
      subject: (points, shop) => `Vous avez gagné ${points} points chez ${shop}`,
      body: (points, balance) =>
        `Vous avez gagné ${points} points. Votre solde est maintenant de ${balance} points.`,
    },
    rewardReady: {
      subject: (reward, shop) => `Votre récompense est prête : ${reward} chez ${shop}`,
      body: (reward) => `Votre récompense « ${reward} » est prête. Saisissez ce code lors du paiement :`,
      code: (code) => code,
      expires: (date) => `Le code est valable jusqu'au ${date}.`,
    },
    pointsExpiring: {
      subject: (points, shop) => `Vos ${points} points chez ${shop} expirent bientôt`,
      body: (points, date) =>
        `Vos ${points} points expirent le ${date}. Gagnez ou utilisez des points d'ici là pour les garder.`,
    },
    tierReached: {
      subject: (tier, shop) => `Bienvenue au niveau ${tier} chez ${shop}`,
      body: (tier) => `Vous avez atteint le niveau ${tier}. Merci de votre fidélité !`,
    },
    why: (shop) => `Vous recevez cet e-mail car vous êtes abonné(e) aux e-mails de ${shop}.`,
    unsubscribe: "Se désabonner de ces e-mails",
  },
  de: {
    hello: (name) => (name ? `Hallo ${name},` : "Hallo,"),
    pointsEarned: {
      subject: (points, shop) => `Sie haben ${points} Punkte bei ${shop} gesammelt`,
      body: (points, balance) =>
        `Sie haben ${points} Punkte gesammelt. Ihr Punktestand beträgt jetzt ${balance} Punkte.`,
    },
    rewardReady: {
      subject: (reward, shop) => `Ihre Prämie ist bereit: ${reward} bei ${shop}`,
      body: (reward) => `Ihre Prämie „${reward}“ ist einlösbar. Geben Sie diesen Code an der Kasse ein:`,
      code: (code) => code,
      expires: (date) => `Der Code gilt bis zum ${date}.`,
    },
    pointsExpiring: {
      subject: (points, shop) => `Ihre ${points} Punkte bei ${shop} verfallen bald`,
      body: (points, date) =>
        `Ihre ${points} Punkte verfallen am ${date}. Sammeln oder lösen Sie vorher Punkte ein, um sie zu behalten.`,
    },
    tierReached: {
      subject: (tier, shop) => `Willkommen in der Stufe ${tier} bei ${shop}`,
      body: (tier) => `Sie haben die Stufe ${tier} erreicht. Danke für Ihre Treue!`,
    },
    why: (shop) => `Sie erhalten diese E-Mail, weil Sie E-Mails von ${shop} abonniert haben.`,
    unsubscribe: "Diese E-Mails abbestellen",
  },
  es: {
    hello: (name) => (name ? `Hola, ${name}:` : "Hola:"),
    pointsEarned: {
      subject: (points, shop) => `Has ganado ${points} puntos en ${shop}`,
      body: (points, balance) => `Has ganado ${points} puntos. Tu saldo ahora es de ${balance} puntos.`,
    },
    rewardReady: {
      subject: (reward, shop) => `Tu recompensa está lista: ${reward} en ${shop}`,
      body: (reward) => `Tu recompensa «${reward}» está lista para usar. Introduce este código al pagar:`,
      code: (code) => code,
      expires: (date) => `El código es válido hasta el ${date}.`,
    },
    pointsExpiring: {
      subject: (points, shop) => `Tus ${points} puntos en ${shop} caducan pronto`,
      body: (points, date) =>
        `Tus ${points} puntos caducan el ${date}. Gana o canjea puntos antes de esa fecha para conservarlos.`,
    },
    tierReached: {
      subject: (tier, shop) => `Bienvenido al nivel ${tier} en ${shop}`,
      body: (tier) => `Has alcanzado el nivel ${tier}. ¡Gracias por tu fidelidad!`,
    },
    why: (shop) => `Recibes este correo porque te suscribiste a los correos de ${shop}.`,
    unsubscribe: "Darse de baja de estos correos",
  },
};

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );

const numberIn = (locale: EmailLocale, n: number) => new Intl.NumberFormat(locale).format(n);
const dateIn = (locale: EmailLocale, date: Date) =>
  new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" }).format(date);

/** The subject and the paragraphs of an email (plain text), and the code to set apart, if any. */
function compose(input: EmailInput): { subject: string; paragraphs: string[]; code: string | null } {
  const w = WORDS[input.locale];
  const n = (value: number) => numberIn(input.locale, value);
  const facts = input.facts;
  switch (facts.event) {
    case "pointsEarned":
      return {
        subject: w.pointsEarned.subject(n(facts.points), input.shopName),
        paragraphs: [w.pointsEarned.body(n(facts.points), n(facts.balance))],
        code: null,
      };
    case "rewardReady":
      return {
        subject: w.rewardReady.subject(facts.reward, input.shopName),
        paragraphs: [
          w.rewardReady.body(facts.reward),
          w.rewardReady.expires(dateIn(input.locale, facts.expiresAt)),
        ],
        code: facts.code,
      };
    case "pointsExpiring":
      return {
        subject: w.pointsExpiring.subject(n(facts.points), input.shopName),
        paragraphs: [w.pointsExpiring.body(n(facts.points), dateIn(input.locale, facts.expiresAt))],
        code: null,
      };
    case "tierReached":
      return {
        subject: w.tierReached.subject(facts.tier, input.shopName),
        paragraphs: [w.tierReached.body(facts.tier)],
        code: null,
      };
  }
}

export function renderEmail(input: EmailInput): RenderedEmail {
  const w = WORDS[input.locale];
  const { subject, paragraphs, code } = compose(input);
  const hello = w.hello(input.firstName);
  const [first, ...rest] = paragraphs;
  const textParts = [hello, first!, ...(code ? [code] : []), ...rest, "--", w.why(input.shopName)];
  const text = `${textParts.join("\n\n")}\n${w.unsubscribe}: ${input.unsubscribeUrl}\n`;
  const p = (line: string) => `<p style="margin:0 0 16px">${escapeHtml(line)}</p>`;
  const html = [
    `<!doctype html><html lang="${input.locale}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    `<body style="margin:0;padding:24px;background:#f6f6f7;font-family:Helvetica,Arial,sans-serif;color:#202223">`,
    `<div style="max-width:560px;margin:0 auto;background:#fff;border-radius:12px;padding:24px">`,
    `<h1 style="font-size:20px;margin:0 0 16px">${escapeHtml(input.shopName)}</h1>`,
    p(hello),
    p(first!),
    code
      ? `<p style="margin:0 0 16px;font-size:22px;font-weight:bold;letter-spacing:2px;font-family:monospace">${escapeHtml(code)}</p>`
      : "",
    ...rest.map(p),
    `<hr style="border:none;border-top:1px solid #e1e3e5;margin:24px 0 16px">`,
    `<p style="margin:0 0 8px;font-size:12px;color:#6d7175">${escapeHtml(w.why(input.shopName))}</p>`,
    `<p style="margin:0;font-size:12px"><a href="${escapeHtml(input.unsubscribeUrl)}" style="color:#6d7175">${escapeHtml(w.unsubscribe)}</a></p>`,
    `</div></body></html>`,
  ].join("");
  return { subject, text, html };
}

/** Sample facts for the admin's preview and the test email. */
export function sampleFacts(event: EmailEvent, now: Date): EmailFacts {
  const inDays = (days: number) => new Date(now.getTime() + days * 86_400_000);
  switch (event) {
    case "pointsEarned":
      return { event, points: 300, balance: 1250 };
    case "rewardReady":
      return { event, reward: "5.00 off", code: "REG-7K2P-QX9M", expiresAt: inDays(30) };
    case "pointsExpiring":
      return { event, points: 1250, expiresAt: inDays(30) };
    case "tierReached":
      return { event, tier: "Gold" };
  }
}

/** The unsubscribe page's words, in the customer's language. */
const UNSUBSCRIBE_PAGE: Record<
  EmailLocale,
  {
    title: string;
    ask: (shop: string) => string;
    button: string;
    done: (shop: string) => string;
    invalid: string;
  }
> = {
  en: {
    title: "Unsubscribe",
    ask: (shop) => `Stop the loyalty emails from ${shop}?`,
    button: "Unsubscribe",
    done: (shop) => `You are unsubscribed. ${shop} will send you no more loyalty emails.`,
    invalid: "This unsubscribe link is not valid.",
  },
  fr: {
    title: "Se désabonner",
    ask: (shop) => `Ne plus recevoir les e-mails de fidélité de ${shop} ?`,
    button: "Se désabonner",
    done: (shop) => `Vous êtes désabonné(e). ${shop} ne vous enverra plus d'e-mails de fidélité.`,
    invalid: "Ce lien de désabonnement n'est pas valide.",
  },
  de: {
    title: "Abbestellen",
    ask: (shop) => `Keine Treue-E-Mails von ${shop} mehr erhalten?`,
    button: "Abbestellen",
    done: (shop) => `Sie sind abgemeldet. ${shop} sendet Ihnen keine Treue-E-Mails mehr.`,
    invalid: "Dieser Abmeldelink ist ungültig.",
  },
  es: {
    title: "Darse de baja",
    ask: (shop) => `¿Dejar de recibir los correos de fidelidad de ${shop}?`,
    button: "Darse de baja",
    done: (shop) => `Te has dado de baja. ${shop} no te enviará más correos de fidelidad.`,
    invalid: "Este enlace para darse de baja no es válido.",
  },
};

/** The unsubscribe page, as a whole HTML document. */
export function unsubscribePage(
  locale: EmailLocale,
  state:
    | { kind: "ask"; shopName: string; action: string }
    | { kind: "done"; shopName: string }
    | { kind: "invalid" },
): string {
  const w = UNSUBSCRIBE_PAGE[locale];
  const body =
    state.kind === "invalid"
      ? `<p>${escapeHtml(w.invalid)}</p>`
      : state.kind === "done"
        ? `<p role="status">${escapeHtml(w.done(state.shopName))}</p>`
        : `<p>${escapeHtml(w.ask(state.shopName))}</p><form method="post" action="${escapeHtml(state.action)}"><button type="submit">${escapeHtml(w.button)}</button></form>`;
  return `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(w.title)}</title><style>body{font-family:Helvetica,Arial,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#202223}button{font:inherit;padding:.6rem 1.2rem;border-radius:8px;border:1px solid #8a8a8a;background:#303030;color:#fff;cursor:pointer}</style></head><body><h1>${escapeHtml(w.title)}</h1>${body}</body></html>`;
}
