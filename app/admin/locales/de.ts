/** The admin in German (Shopify's German admin words: Kunden, Bestellungen, Rabatte, Tags; "du"). */
import type { AdminStrings } from "../admin-strings";
import { bucketLabelIn, counting } from "./plural";

const { n, plural } = counting("de");

export const de: AdminStrings = {
  loading: "Seite wird geladen",
  download: {
    started: "Download gestartet",
    failed: "Der Download konnte nicht starten. Versuche es erneut.",
  },
  dataRequests: {
    title: (count: number) =>
      `${n(count)} ${plural(count, "Datenanfrage", "Datenanfragen")} von Kunden zu beantworten`,
    help: "Ein Kunde hat deinen Shop um seine Daten gebeten. Lade herunter, was Regulars über ihn gespeichert hat, gib es dem Kunden und markiere die Anfrage dann als zugestellt. Shopify verlangt das innerhalb von 30 Tagen.",
    customerNumber: (id: string) => `Kunde ${id}`,
    dates: (requested: string, due: string) => `Angefragt am ${requested} · Antwort bis ${due}`,
    overdue: "Überfällig",
    download: "Daten herunterladen",
    markDelivered: "Als zugestellt markieren",
    delivered: "Als zugestellt markiert",
    alreadyDelivered: "Diese Anfrage war bereits als zugestellt markiert",
    failed: "Die Anfrage konnte nicht markiert werden. Versuche es erneut.",
    more: (count: number) =>
      `und ${n(count)} ${plural(count, "weitere, die erscheint", "weitere, die erscheinen")}, sobald diese zugestellt sind`,
    notFound: "Diese Datenanfrage wurde in diesem Shop nicht gefunden.",
  },
  dashboard: {
    title: "Regulars",
    period: "Zeitraum",
    periods: {
      "30": "Letzte 30 Tage, nach Tag",
      "90": "Letzte 13 Wochen, nach Woche",
      "365": "Letzte 12 Monate, nach Monat",
    },
    members: "Mitglieder",
    liability: "Offene Punkte, bewertet",
    liabilityHelp: "Nicht eingelöste Punkte zum Punktwert der besten Belohnung mit festem Betrag",
    redemptionRate: "Einlösequote",
    redemptionHelp: "Eingelöste Punkte / vergebene Punkte im Zeitraum",
    issued: "Vergebene Punkte",
    redeemed: "Eingelöste Punkte",
    expired: "Verfallene Punkte",
    codeRevenue: "Umsatz aus Bestellungen mit Belohnungscodes",
    codeOrders: (count: number) => `${n(count)} ${plural(count, "Bestellung", "Bestellungen")}`,
    retention: "Kundenbindung: Mitglieder und Nicht-Mitglieder",
    retentionHelp:
      "Mitglieder haben ein Kundenkonto oder haben eine Belohnung eingelöst. Umsatz umfasst Artikel, Versand, Steuern und Trinkgelder, abzüglich Rückerstattungen.",
    group: { members: "Mitglieder", nonMembers: "Nicht-Mitglieder" },
    measures: {
      customers: ["Kunden", "Alle mit einer bezahlten Bestellung"],
      repeatPurchaseRate: ["Wiederkaufrate", "Kunden mit 2 oder mehr Bestellungen / Kunden"],
      averageLifetimeValue: ["Durchschnittlicher Kundenwert", "Bisheriger Umsatz / Kunden"],
      purchaseFrequency: ["Kaufhäufigkeit", "Bestellungen / Kunden"],
      churnRate: [
        "Abwanderung",
        "Anteil der Käufer des letzten Jahres ohne Bestellung in den letzten {days} Tagen",
      ],
      atRisk: ["Gefährdet", "Kunden, deren letzte Bestellung mehr als {days} Tage zurückliegt"],
    },
    tiers: "Mitglieder nach Stufe",
    tierRow: "Stufe",
    overTime: "Punkte im Zeitverlauf",
    overTimeHelp: (zone: string) =>
      `Vergeben: verdient (sobald einlösbar), Boni und positive Anpassungen. Eingelöst: für Codes ausgegeben, abzüglich zurückgegebener Punkte. Tage beginnen um Mitternacht in der Zeitzone des Shops (${zone}).`,
    bucketRow: { day: "Tag", week: "Woche ab", month: "Monat" },
    bucketLabel: bucketLabelIn("de"),
    showTable: "Als Tabelle anzeigen",
    hideTable: "Tabelle ausblenden",
    chartLoading: "Diagramm wird geladen",
    noOrdersHeading: "Noch keine Bestellungen",
    noOrders:
      "Mitglieder sammeln Punkte, wenn ihre Bestellungen bezahlt werden, und die Zahlen hier folgen. Prüfe die Sammelregeln und Belohnungen des Programms, füge deinem Theme die Treue-Blöcke hinzu, damit Kunden ihre Punkte sehen, oder übernimm Punktestände aus einem anderen Programm.",
    noOrdersAction: "Programm prüfen",
    noOrdersSecondary: "Punktestände importieren",
  },
  nav: {
    home: "Startseite",
    program: "Programm",
    customers: "Kunden",
    importExport: "Import und Export",
    activity: "Aktivität",
    backfill: "Frühere Bestellungen",
    winBack: "Rückgewinnung",
  },
  importExport: {
    title: "Import und Export",
    importTitle: "Punktestände aus einem anderen Programm importieren",
    importHelp:
      "Eine CSV-Datei mit einer Kopfzeile, die eine Spalte „email“ und eine Spalte „points“ nennt. Jede Zeile wird zuerst geprüft; ist eine Zeile fehlerhaft, wird nichts importiert. Dieselbe Datei zweimal zu importieren ändert nichts.",
    file: "CSV-Datei",
    mode: "Die Punkte in der Datei",
    modes: { add: "werden zu jedem Punktestand addiert", set: "werden zum jeweiligen Punktestand" },
    dryRun: "Datei prüfen",
    run: "Importieren",
    noFile: "Wähle eine CSV-Datei aus",
    report: (r: {
      rows: number;
      changes: number;
      unchanged: number;
      pointsAdded: number;
      pointsRemoved: number;
      dryRun: boolean;
    }) =>
      `${n(r.rows)} ${plural(r.rows, "Zeile", "Zeilen")}: ${n(r.changes)} ${r.dryRun ? plural(r.changes, "würde sich ändern", "würden sich ändern") : "geändert"} (+${n(r.pointsAdded)} / -${n(r.pointsRemoved)} Punkte), ${n(r.unchanged)} unverändert.`,
    errorsTitle: (count: number) =>
      `${n(count)} ${plural(count, "Zeile", "Zeilen")} zu korrigieren; nichts wurde importiert`,
    exportTitle: "Export",
    exportMembers: "Mitglieder (CSV)",
    exportLedger: "Punkteverlauf (CSV)",
    imported: (changes: number) =>
      `${n(changes)} ${plural(changes, "Punktestand", "Punktestände")} importiert`,
    checked: "Datei geprüft; nichts wurde importiert",
  },
  protectedData: {
    notice:
      "Namen und E-Mail-Adressen erscheinen, sobald Shopify Regulars den Zugriff auf geschützte Kundendaten genehmigt hat. Bis dahin werden Kunden mit ihrer Shopify-Kundennummer angezeigt, die auch die Suche findet.",
    learnMore: "Über geschützte Kundendaten",
  },
  customers: {
    title: "Kunden",
    search: "Nach E-Mail, Name oder Kundennummer suchen",
    tier: "Stufe",
    anyTier: "Alle Stufen",
    hasBalance: "Hat Punkte",
    sort: "Sortieren nach",
    sortOptions: {
      balance: "Punktestand (höchster zuerst)",
      spend: "Ausgaben (höchste zuerst)",
      lastOrder: "Letzte Bestellung (neueste zuerst)",
      newest: "Neueste Mitglieder",
    },
    atRisk: (days: number) => `Gefährdet (keine Bestellung seit ${n(days)} ${plural(days, "Tag", "Tagen")})`,
    empty:
      "Kein Mitglied passt. Kunden werden Mitglied, wenn sie ein Konto erstellen oder eine Bestellung aufgeben.",
    emptyFiltered: "Ändere die Suche oder lösche die Filter, um mehr Mitglieder zu sehen.",
    clearFilters: "Filter löschen",
    noMembersHeading: "Noch keine Mitglieder",
    noMembers:
      "Kunden werden Mitglied, wenn sie ein Kundenkonto erstellen oder eine Bestellung aufgeben, während das Programm aktiv ist. Übernimm Punktestände aus einem anderen Programm oder vergib Punkte für frühere Bestellungen.",
    noMembersAction: "Punktestände importieren",
    noMembersSecondary: "Programm prüfen",
    next: "Nächste Seite",
    first: "Erste Seite",
    columns: {
      customer: "Kunde",
      balance: "Punkte",
      pending: "Ausstehend",
      tier: "Stufe",
      spent: "Ausgegeben",
      orders: "Bestellungen",
      lastOrder: "Letzte Bestellung",
    },
  },
  customer: {
    balance: "Punkte",
    pending: "Ausstehend",
    tier: "Stufe",
    progress: (remaining: string, tier: string) => `Noch ${remaining} bis ${tier}`,
    history: "Verlauf",
    codes: "Belohnungscodes",
    noCodes: "Noch keine Belohnungscodes.",
    noHistory:
      "Noch nichts: Punkte erscheinen hier, wenn Bestellungen bezahlt werden oder Mitarbeiter sie anpassen.",
    adjust: "Punkte anpassen",
    adjustPoints: "Punkte (negativ zum Abziehen)",
    adjustReason: "Grund (der Kunde könnte fragen)",
    adjustSubmit: "Anpassen",
    adjusted: "Punkte angepasst",
    issue: "Belohnung vergeben",
    issueSubmit: "Code erstellen",
    issued: (code: string) => `Code ${code} erstellt`,
    pendingCode: "Shopify ist ausgelastet; der Code wird in Kürze erstellt",
    revoke: "Widerrufen",
    revoked: "Code widerrufen; Punkte zurückgegeben",
    notFound: "Dieser Kunde ist kein Mitglied des Programms dieses Shops.",
  },
  program: {
    title: "Programm",
    saved: "Programm gespeichert",
    savedWithMoves: (count: number) =>
      `Programm gespeichert; ${n(count)} ${plural(count, "Mitglied hat", "Mitglieder haben")} die Stufe gewechselt`,
    fixErrors: "Einige Einstellungen müssen korrigiert werden",
    earning: "Punkte sammeln",
    earningHelp:
      "Punkte sind ganze Zahlen: der berechtigte Betrag einer Bestellung mal der Satz, abgerundet.",
    active: "Programm ist aktiv (Kunden sammeln und können einlösen)",
    earnRate: "Punkte pro 1,00 berechtigtem Betrag",
    includes: "Der berechtigte Betrag umfasst",
    includeShipping: "Versand",
    includeTax: "Steuern",
    includeTips: "Trinkgelder",
    includeGiftCards: "Geschenkgutscheine",
    pendingDays: "Tage, bis Punkte eingelöst werden können",
    pendingHelp:
      "0: sofort. Eine Rückgabefrist von 14 oder 30 Tagen verhindert, dass Punkte aus erstatteten Bestellungen ausgegeben werden.",
    expiryMonths: "Monate ohne Aktivität, bis Punkte verfallen",
    expiryHelp: "Leer lassen: Punkte verfallen nie.",
    expiryWarningDays: "So viele Tage vor dem Verfall warnen",
    signupBonus: "Punkte für das Erstellen eines Kontos",
    birthdayBonus: "Punkte zum Geburtstag des Kunden",
    returnPointsOnCancel: "Punkte zurückgeben, wenn eine Bestellung mit Belohnungscode storniert wird",
    returnPointsOnExpiry: "Punkte zurückgeben, wenn ein Belohnungscode ungenutzt verfällt",
    tiers: "VIP-Stufen",
    tiersHelp:
      "Mitglieder steigen auf, wenn ihre Aktivität im Zeitraum eine Stufe erreicht; Stufen vervielfachen die gesammelten Punkte.",
    tierBasis: "Stufen werden erreicht durch",
    tierBasisOptions: { SPEND: "Ausgaben", POINTS: "Gesammelte Punkte", ORDERS: "Anzahl der Bestellungen" },
    tierWindow: "Gezählt über",
    tierWindowOptions: {
      ROLLING_12_MONTHS: "Die letzten 12 Monate",
      CALENDAR_YEAR: "Dieses Kalenderjahr",
      LIFETIME: "Gesamte Zeit",
    },
    tierGrace: "Stufe eines Mitglieds bis zum Ende des nächsten Zeitraums behalten (Kulanz)",
    tierTagPrefix: "Präfix für Kunden-Tags",
    tierTagHelp: "Mitglieder erhalten ein Tag aus dem Präfix und ihrer Stufe, z. B. „Regulars Gold“.",
    tierName: "Name",
    tierThreshold: "Ab",
    tierMultiplier: "Punkte ×",
    tierEntryReward: "Belohnung beim Erreichen",
    noEntryReward: "Keine",
    addTier: "Stufe hinzufügen",
    removeTier: "Entfernen",
    removeTitle: (name: string) => `${name} entfernen?`,
    removeBody: (count: number, to: string) =>
      count === 0
        ? "Kein Mitglied ist in dieser Stufe."
        : `${n(count)} ${plural(count, "Mitglied ist", "Mitglieder sind")} in dieser Stufe. Beim Speichern ${plural(count, "wechselt es", "wechseln sie")} in die Stufe, die ${plural(count, "seine", "ihre")} Aktivität erreicht (${to} oder niedriger). Punkte bleiben unverändert.`,
    cancel: "Abbrechen",
    save: "Speichern",
    discard: "Verwerfen",
    rewards: "Belohnungen",
    rewardsHelp: "Was Mitglieder einlösen können. Codes gelten für einen Kunden, einmalig, und laufen ab.",
    rewardNotFound:
      "Eine Belohnung auf dieser Seite ist nicht mehr im Katalog. Lade die Seite neu und versuche es erneut.",
    rewardsEmpty:
      "Keine Belohnungen: Mitglieder sammeln Punkte, können sie aber nicht ausgeben. Füge eine Belohnung hinzu, z. B. 5,00 Rabatt für 500 Punkte.",
    reward: {
      title: "Titel",
      titleHelp: "Kunden sehen ihn im Onlineshop und auf dem Code",
      type: "Art",
      types: {
        FIXED_AMOUNT: "Betragsrabatt",
        PERCENTAGE: "Prozentualer Rabatt",
        FREE_SHIPPING: "Kostenloser Versand",
      },
      pointsCost: "Kosten",
      points: "Punkte",
      amount: "Rabattbetrag",
      percent: "Rabatt in Prozent",
      minimumSubtotal: "Mindestzwischensumme der Bestellung",
      minimumHelp: "Leer lassen: kein Minimum",
      codeLifetimeDays: "Code gültig für",
      days: "Tage",
      key: "Schlüssel",
      keyHelp:
        "Der Name im Onlineshop; kann nach dem Speichern nicht mehr geändert werden. Leer: aus dem Titel gebildet.",
      keySavedHelp: "Der Name im Onlineshop; Codes und frühere Einlösungen verweisen darauf.",
      combines: "Kombinierbar mit",
      combinesWithOrder: "Bestellrabatten",
      combinesWithProduct: "Produktrabatten",
      combinesWithShipping: "Versandrabatten",
      tiers: "Nur für diese Stufen",
      tiersHelp: "Keine ausgewählt: Jede Stufe kann sie einlösen.",
      enabled: "Kunden können sie einlösen",
      disabled: "Aus",
      moveUp: (title: string) => `${title} nach oben verschieben`,
      moveDown: (title: string) => `${title} nach unten verschieben`,
      up: "Nach oben",
      down: "Nach unten",
      remove: "Entfernen",
      untitled: "Neue Belohnung",
      add: "Belohnung hinzufügen",
      removeTitle: (title: string) => `${title} entfernen?`,
      removeBody: (codes: number) =>
        codes === 0
          ? "Mit ihr wurde kein Code erstellt. Nach dem Speichern sehen Kunden sie nicht mehr."
          : `Mit ihr ${plural(codes, "wurde", "wurden")} ${n(codes)} ${plural(codes, "Code", "Codes")} erstellt: Sie bleiben gültig, bis sie genutzt werden oder ablaufen, und frühere Einlösungen behalten ihren Verlauf. Nach dem Speichern können Kunden sie nicht mehr einlösen; sie wird archiviert, nicht gelöscht, daher bleibt ihr Schlüssel reserviert.`,
      removeEntry: (tiers: string) =>
        `Sie ist die Belohnung beim Erreichen von ${tiers}: Dort gibt es dann keine.`,
    },
  },
  activity: {
    title: "Aktivität",
    deadJobs: "Aufgaben ohne verbleibende Versuche",
    deadJobsEmpty:
      "Keine fehlgeschlagenen Aufgaben. Alles, was Regulars Shopify mitteilen musste, wurde mitgeteilt.",
    retry: "Erneut versuchen",
    retried: "Aufgabe erneut eingereiht",
    notFound: "Diese Aufgabe gehört nicht zu den fehlgeschlagenen Aufgaben dieses Shops",
    retriedDelivery: "Zustellung erneut eingereiht",
    deliveryNotFound: "Diese Zustellung gehört nicht zu den fehlgeschlagenen Zustellungen dieses Shops",
    deliveries: "Letzte Webhook-Zustellungen",
    waiting: (count: number) =>
      count === 0
        ? "Jede Zustellung wurde angewendet."
        : `${n(count)} ${plural(count, "Zustellung wartet", "Zustellungen warten")} darauf, angewendet zu werden.`,
    outcomes: {
      received: "Eingereiht",
      processed: "Angewendet",
      ignored: "Ignoriert",
      failed: "Fehlgeschlagen",
    },
    deliveriesEmpty: "Es ist noch kein Webhook eingegangen. Im Shop bezahlte Bestellungen erscheinen hier.",
    emptyHeading: "Noch ist nichts passiert",
    empty:
      "Jede Bestellung, Rückerstattung und Kundenänderung, die Shopify an Regulars sendet, wird hier mit ihrem Ergebnis aufgeführt, und jede Aufgabe, die Shopify nach allen Versuchen nicht erreicht hat, wartet hier mit einer Schaltfläche „Erneut versuchen“. Gib in deinem Shop eine Testbestellung auf, um eine eintreffen zu sehen.",
  },
  campaigns: {
    title: "Rückgewinnungskampagnen",
    newCampaign: "Neue Kampagne",
    emptyHeading: "Inaktive Kunden zurückgewinnen",
    empty:
      "Eine Kampagne gibt jedem Kunden, der länger nicht bestellt hat, einen persönlichen, ablaufenden Code und versieht ihn in Shopify mit einem Tag, damit Shopify Email, Flow oder Klaviyo ihn versenden kann. Danach zeigt sie, wer zurückgekommen ist und was ausgegeben wurde.",
    columns: {
      name: "Kampagne",
      status: "Status",
      launched: "Gestartet",
      recipients: "Kunden",
      progress: "Erstellte Codes",
    },
    statuses: { RUNNING: "Codes werden erstellt", DONE: "Codes erstellt", CANCELLED: "Abgebrochen" },
    newTitle: "Neue Rückgewinnungskampagne",
    segment: "Wer das Angebot erhält",
    segmentHelp:
      "Kunden, deren letzte Bestellung älter ist als die gewählten Tage, mit mindestens der gewählten Anzahl an Bestellungen. Die Liste wird beim Start festgeschrieben.",
    inactiveDays: "Keine Bestellung in den letzten",
    minOrders: "Mindestens so viele Bestellungen",
    days: "Tagen",
    segmentSize: (count: number) =>
      `${n(count)} ${plural(count, "Kunde", "Kunden")} derzeit in diesem Segment`,
    offer: "Das Angebot",
    offerHelp: "Jeder Kunde erhält einen persönlichen Code: nur für ihn, einmalig, mit Ablaufdatum.",
    offerType: "Rabatt",
    offerTypes: { PERCENTAGE: "Prozentualer Rabatt", FIXED_AMOUNT: "Betragsrabatt" },
    percent: "Rabatt in Prozent",
    amount: "Rabattbetrag",
    validDays: "Code gültig für",
    minimumSubtotal: "Mindestzwischensumme der Bestellung",
    minimumHelp: "Leer lassen: kein Minimum",
    name: "Name der Kampagne",
    nameHelp: (tag: string) => `Kunden erhalten das Tag „${tag}“. Leer: das Startdatum.`,
    launch: "Kampagne starten",
    back: "Zurück",
    launchConfirm: (count: number) =>
      plural(
        count,
        `Für ${n(count)} Kunden einen Code erstellen und ihn in Shopify mit einem Tag versehen?`,
        `Für jeden der ${n(count)} Kunden einen Code erstellen und sie in Shopify mit einem Tag versehen?`,
      ),
    fixErrors: "Einige Felder müssen korrigiert werden; nichts wurde gestartet",
    notFound: "Diese Kampagne gehört nicht zu den Kampagnen dieses Shops.",
    progress: "Fortschritt",
    progressLine: (done: number, total: number) => `${n(done)} von ${n(total)} Codes erstellt`,
    taggedLine: (count: number) => `${n(count)} ${plural(count, "Kunde", "Kunden")} mit Tag versehen`,
    failures: "Von Shopify abgelehnte Codes",
    failuresEmpty: "Keine Fehler.",
    retry: "Fehlgeschlagene erneut versuchen",
    retried: (count: number) => `${n(count)} Empfänger erneut eingereiht`,
    exportCodes: "Codes exportieren (CSV)",
    cancel: "Kampagne abbrechen",
    cancelConfirm:
      "Keine weiteren Codes erstellen? Bereits erstellte Codes bleiben bis zu ihrem Ablauf gültig (lösche sie in den Rabatten von Shopify, um sie zu widerrufen).",
    cancelled: "Kampagne abgebrochen; es werden keine weiteren Codes erstellt",
    results: "Ergebnisse",
    resultsHelp:
      "Aus seit dem Start bezahlten Bestellungen von Kunden im Segment, die weder storniert noch Tests sind. Umsatz umfasst Artikel, Versand, Steuern und Trinkgelder, abzüglich Rückerstattungen.",
    measures: {
      segment: "Kunden im Segment",
      codesUsed: "Genutzte Codes",
      cameBack: "Zurückgekehrte Kunden",
      revenue: "Umsatz aus ihren Bestellungen",
      codeRevenue: "Umsatz aus Bestellungen mit den Codes",
    },
    ofSegment: (rate: string) => `${rate} des Segments`,
    orders: (count: number) => `${n(count)} ${plural(count, "Bestellung", "Bestellungen")}`,
    details: (tag: string, ends: string) => `Tag „${tag}“ · Codes gültig bis ${ends}`,
  },
  backfill: {
    title: "Frühere Bestellungen",
    intro:
      "Vergib Punkte für Bestellungen, die vor der Installation von Regulars bezahlt wurden. Shopify liest die Bestellungen im Hintergrund; jede Bestellung wird nur einmal gutgeschrieben, auch wenn ihr Webhook ebenfalls eintrifft.",
    recentOnly: (from: string) =>
      `Shopify teilt die Bestellungen der letzten 60 Tage (ab ${from}). Für ältere Bestellungen bittet Regulars dich beim Start um Zugriff auf alle Bestellungen.`,
    allOrdersGranted:
      "Du hast Regulars Zugriff auf alle Bestellungen gegeben: Jedes Datum kann nachgetragen werden.",
    olderAsks:
      "Diese Daten liegen mehr als 60 Tage zurück: Shopify bittet dich beim Start, Regulars Zugriff auf alle Bestellungen zu geben.",
    declined: (from: string) =>
      `Ohne Zugriff auf alle Bestellungen teilt Shopify nur Bestellungen ab ${from}. Es wurde nichts gestartet.`,
    startRecent: (from: string) => `Ab ${from} starten`,
    shopifyUnavailable:
      "Shopify konnte gerade nicht nach dem Zugriff auf ältere Bestellungen gefragt werden. Versuche es erneut.",
    from: "Bezahlt ab (UTC)",
    to: "Bezahlt bis einschließlich (UTC)",
    start: "Punkte für diese Bestellungen vergeben",
    started: "Nachtrag gestartet",
    cancel: "Abbrechen",
    cancelled: "Nachtrag abgebrochen",
    notFound: "Dieser Nachtrag gehört nicht zu den Nachträgen dieses Shops.",
    progress: (done: number, total: number | null) =>
      total === null
        ? `${n(done)} ${plural(done, "Bestellung", "Bestellungen")} verarbeitet`
        : `${n(done)} von ${n(total)} Bestellungen verarbeitet`,
    reading: "Bestellungen werden gelesen",
    read: (read: number, total: number | null) =>
      total === null
        ? `${n(read)} ${plural(read, "Bestellung", "Bestellungen")} gelesen; Punkte werden vergeben, sobald alle gelesen sind`
        : `${n(read)} von ${n(total)} Bestellungen gelesen; Punkte werden vergeben, sobald alle gelesen sind`,
    credited: (orders: number, points: number) =>
      `${n(orders)} ${plural(orders, "Bestellung", "Bestellungen")} gutgeschrieben, ${n(points)} ${plural(points, "Punkt", "Punkte")}`,
    status: {
      PENDING: "Wird gestartet",
      QUERYING: "Shopify liest die Bestellungen",
      PROCESSING: "Punkte werden vergeben",
      COMPLETED: "Abgeschlossen",
      FAILED: "Fehlgeschlagen",
      CANCELLED: "Abgebrochen",
    },
    history: "Nachträge",
    historyEmpty:
      "Noch kein Nachtrag. Wähle oben die Daten der Bestellungen, die gutgeschrieben werden sollen.",
    columns: { range: "Bezahlte Bestellungen", status: "Status", orders: "Bestellungen", points: "Punkte" },
  },
  onboarding: {
    title: "Erste Schritte",
    help: "Ein paar Schritte machen Regulars für deine Kunden sichtbar.",
    dismiss: "Schließen",
    unknown: "Konnte gerade nicht geprüft werden",
    done: "Erledigt",
    steps: {
      program: [
        "Programm aktivieren",
        "Kunden sammeln nur Punkte, solange das Programm aktiv ist.",
        "Programm öffnen",
      ],
      embed: [
        "Belohnungs-Button aktivieren",
        "Die App-Einbettung fügt jeder Seite deines Themes die Belohnungsschaltfläche hinzu.",
        "Im Theme-Editor aktivieren",
      ],
      block: [
        "Treue-Block hinzufügen",
        "Der Treuestatus-Block zeigt auf deiner Startseite die Punkte und die Stufe eines Kunden.",
        "Im Theme-Editor hinzufügen",
      ],
      backfill: [
        "Punkte für frühere Bestellungen vergeben",
        "Kunden starten mit den Punkten, die ihre früheren Bestellungen einbringen.",
        "Frühere Bestellungen nachtragen",
      ],
    },
  },
  notifications: {
    nav: "Benachrichtigungen",
    title: "Benachrichtigungen",
    intro:
      "Informiere Kunden, wenn sie Punkte sammeln, wenn eine Belohnung bereitsteht, wenn Punkte bald verfallen und wenn sie eine Stufe erreichen. Mit Shopify Flow nutzt du die Trigger von Regulars (Vorlagen im README). Ohne Flow schickt Regulars ihnen E-Mails über deinen eigenen SMTP-Server.",
    smtp: "Dein SMTP-Server",
    smtpHelp:
      "Regulars versendet über diesen Server, von deiner Adresse. Nur Kunden, die in Shopify E-Mail-Marketing zustimmen, erhalten diese E-Mails, und jede E-Mail enthält einen Abmeldelink.",
    host: "Host",
    port: "Port",
    secure: "TLS verwenden",
    secureHelp: "Port 465: TLS von Anfang an. Andere Ports: STARTTLS ist erforderlich.",
    username: "Benutzername",
    password: "Passwort",
    passwordSaved: "Ein Passwort ist gespeichert. Leer lassen, um es zu behalten.",
    passwordStored: "Verschlüsselt gespeichert.",
    from: "Absenderadresse",
    defaultLocale: "Sprache, wenn die des Kunden unbekannt ist",
    defaultLocaleHelp:
      "Nimm die Hauptsprache deines Shops. Kunden, deren Sprache Shopify kennt, erhalten ihre.",
    locales: { en: "Englisch", fr: "Französisch", de: "Deutsch", es: "Spanisch" },
    events: "Zu sendende E-Mails",
    eventsHelp: "Jede E-Mail wird einmal pro Ereignis versendet, nachdem die Punkte verbucht sind.",
    eventNames: {
      pointsEarned: "Punkte gesammelt",
      rewardReady: "Belohnung einlösbar",
      pointsExpiring: "Punkte verfallen bald",
      tierReached: "Stufe erreicht",
    },
    eventHelp: {
      pointsEarned: "Nach einer bezahlten Bestellung oder einem Bonus.",
      rewardReady: "Mit dem Rabattcode, sobald er erstellt ist.",
      pointsExpiring: "Bevor der Punktestand verfällt (wenn die Punkte des Programms verfallen).",
      tierReached: "Wenn ein Kunde in eine Stufe aufsteigt.",
    },
    expiryWarningDays: "Tage vor dem Verfall für die Warnung",
    expiryWarningDaysHelp: "Dieselbe Einstellung wie die Verfallswarnung des Programms und der Flow-Trigger.",
    save: "Speichern",
    saved: "Benachrichtigungseinstellungen gespeichert",
    sendTest: "Test-E-Mail senden",
    testSent: (to: string) => `Test-E-Mail an ${to} gesendet`,
    testFailed: (reason: string) => `Die Test-E-Mail konnte nicht gesendet werden: ${reason}`,
    fixErrors: "Einige Einstellungen müssen korrigiert werden; nichts wurde gespeichert",
    preview: "Vorschau",
    previewHelp: "Die E-Mail, wie ein Kunde sie erhält, mit Beispieldaten.",
    previewEvent: "E-Mail",
    previewLocale: "Sprache",
    previewSubject: (subject: string) => `Betreff: ${subject}`,
    previewFrame: "E-Mail-Vorschau",
    recent: "Letzte E-Mails",
    recentEmpty: "Noch keine E-Mail.",
    columns: { event: "E-Mail", to: "An", status: "Status", detail: "Wann oder warum" },
    status: { pending: "Wartet", sent: "Gesendet", skipped: "Nicht gesendet" },
    reasons: {
      "no-consent": "Keine Zustimmung zum E-Mail-Marketing",
      unsubscribed: "Abgemeldet",
      "no-address": "Keine E-Mail-Adresse",
      off: "E-Mail für dieses Ereignis aus",
      "not-a-step-up": "Kein Aufstieg in eine höhere Stufe",
      "no-event": "Das Ereignis wurde entfernt",
    },
    errors: {
      host: "Gib den Hostnamen des SMTP-Servers ein, z. B. smtp.example.com",
      port: "Gib einen Port von 1 bis 65535 ein (oft 465 oder 587)",
      username: "Der Benutzername ist zu lang",
      password: "Gib das Passwort für diesen Benutzernamen ein",
      passwordLength: "Das Passwort ist zu lang",
      from: "Gib eine einzelne E-Mail-Adresse ein, z. B. rewards@example.com",
      locale: (list: string) => `Wähle eine davon: ${list}`,
      days: "Gib eine Anzahl Tage von 1 bis 90 ein",
    },
  },
};
