/** The admin in French (Shopify's French admin words: Clients, Commandes, Remises, Balises). */
import type { AdminStrings } from "../admin-strings";
import { bucketLabelIn, counting } from "./plural";

const { n, plural } = counting("fr");

export const fr: AdminStrings = {
  appName: "Regulars",
  loading: "Chargement de la page",
  download: {
    started: "Téléchargement lancé",
    failed: "Le téléchargement n’a pas pu démarrer. Réessayez.",
  },
  dataRequests: {
    title: (count: number) =>
      `${n(count)} ${plural(count, "demande de données client à traiter", "demandes de données client à traiter")}`,
    help: "Un client a demandé à votre boutique ses données. Téléchargez ce que Regulars détient sur lui, transmettez-le au client, puis marquez la demande comme livrée. Shopify demande de le faire sous 30 jours.",
    customerNumber: (id: string) => `Client ${id}`,
    dates: (requested: string, due: string) => `Demandée le ${requested} · à traiter avant le ${due}`,
    overdue: "En retard",
    download: "Télécharger les données",
    markDelivered: "Marquer comme livrée",
    delivered: "Marquée comme livrée",
    alreadyDelivered: "Cette demande était déjà marquée comme livrée",
    failed: "La demande n’a pas pu être marquée. Réessayez.",
    more: (count: number) =>
      `et ${n(count)} ${plural(count, "autre, affichée", "autres, affichées")} une fois celles-ci livrées`,
    notFound: "Cette demande de données est introuvable dans cette boutique.",
  },
  dashboard: {
    title: "Regulars",
    period: "Période",
    periods: {
      "30": "30 derniers jours, par jour",
      "90": "13 dernières semaines, par semaine",
      "365": "12 derniers mois, par mois",
    },
    members: "Membres",
    liability: "Points non dépensés, en valeur",
    liabilityHelp: "Points non dépensés, à la valeur par point de la meilleure récompense à montant fixe",
    redemptionRate: "Taux d’utilisation",
    redemptionHelp: "Points utilisés / points attribués sur la période",
    issued: "Points attribués",
    redeemed: "Points utilisés",
    expired: "Points expirés",
    codeRevenue: "Chiffre d’affaires des commandes avec codes de récompense",
    codeOrders: (count: number) => `${n(count)} ${plural(count, "commande", "commandes")}`,
    retention: "Fidélisation : membres et non-membres",
    membersHelp:
      "Les membres sont les clients (toute personne ayant une commande payée) qui ont un compte dans votre boutique ou ont utilisé une récompense.",
    retentionHelp:
      "Le chiffre d’affaires comprend les articles, l’expédition, les taxes et les pourboires, moins les remboursements.",
    group: { members: "Membres", nonMembers: "Non-membres" },
    measures: {
      customers: ["Clients", "Toute personne ayant une commande payée"],
      repeatPurchaseRate: ["Taux de réachat", "Clients ayant 2 commandes ou plus / clients"],
      averageLifetimeValue: ["Valeur vie client moyenne", "Chiffre d’affaires à ce jour / clients"],
      purchaseFrequency: ["Fréquence d’achat", "Commandes / clients"],
      churnRate: [
        "Attrition",
        "Parmi les acheteurs de l’an dernier, la part sans commande depuis {days} jours",
      ],
      atRisk: ["À risque", "Clients dont la dernière commande date de plus de {days} jours"],
    },
    tiers: "Membres par niveau",
    tierRow: "Niveau",
    overTime: "Points dans le temps",
    overTimeHelp: (zone: string) =>
      `Attribués : gagnés (une fois utilisables), bonus et ajustements positifs. Utilisés : dépensés en codes, moins les points rendus. Les jours commencent à minuit dans le fuseau horaire de la boutique (${zone}).`,
    bucketRow: { day: "Jour", week: "Semaine du", month: "Mois" },
    bucketLabel: bucketLabelIn("fr"),
    showTable: "Afficher sous forme de tableau",
    hideTable: "Masquer le tableau",
    chartLoading: "Chargement du graphique",
    noOrdersHeading: "Aucune commande pour l’instant",
    noOrders:
      "Les membres gagnent des points quand leurs commandes sont payées, et les chiffres affichés ici suivent. Vérifiez les règles de gain et les récompenses du programme, ajoutez les blocs de fidélité à votre thème pour que les clients voient leurs points, ou reprenez les soldes d’un autre programme.",
    noOrdersAction: "Voir le programme",
    noOrdersSecondary: "Importer des soldes",
  },
  charts: {
    label: (title: string) => `${title} : graphique. Les mêmes chiffres figurent dans le tableau qui suit.`,
  },
  nav: {
    home: "Accueil",
    program: "Programme",
    customers: "Clients",
    importExport: "Importer et exporter",
    activity: "Activité",
    backfill: "Commandes passées",
    winBack: "Reconquête",
  },
  importExport: {
    title: "Importer et exporter",
    importTitle: "Importer les soldes d’un autre programme",
    importHelp:
      "Un fichier CSV dont la ligne d’en-tête nomme une colonne « email » et une colonne « points ». Chaque ligne est d’abord vérifiée ; si une ligne est incorrecte, rien n’est importé. Importer deux fois le même fichier ne change rien.",
    file: "Fichier CSV",
    mode: "Les points du fichier",
    modes: { add: "s’ajoutent à chaque solde", set: "deviennent chaque solde" },
    dryRun: "Vérifier le fichier",
    run: "Importer",
    noFile: "Choisissez un fichier CSV à importer ou à vérifier.",
    report: (r: {
      rows: number;
      changes: number;
      unchanged: number;
      pointsAdded: number;
      pointsRemoved: number;
      dryRun: boolean;
    }) =>
      `${n(r.rows)} ${plural(r.rows, "ligne", "lignes")} : ${n(r.changes)} ${
        r.dryRun
          ? plural(r.changes, "changerait", "changeraient")
          : plural(r.changes, "modifiée", "modifiées")
      } (+${n(r.pointsAdded)} / -${n(r.pointsRemoved)} points), ${n(r.unchanged)} ${plural(r.unchanged, "inchangée", "inchangées")}.`,
    errorsTitle: (count: number) =>
      `${n(count)} ${plural(count, "ligne à corriger", "lignes à corriger")} ; rien n’a été importé`,
    exportTitle: "Exporter",
    exportMembers: "Membres (CSV)",
    exportLedger: "Historique des points (CSV)",
    imported: (changes: number) => `${n(changes)} ${plural(changes, "solde importé", "soldes importés")}`,
    checked: "Fichier vérifié ; rien n’a été importé",
  },
  protectedData: {
    notice:
      "Les noms et e-mails apparaissent une fois que Shopify a approuvé l’accès de Regulars aux données client protégées. D’ici là, les clients s’affichent par leur numéro de client Shopify, que la recherche trouve aussi.",
    learnMore: "À propos des données client protégées",
  },
  customers: {
    title: "Clients",
    search: "Rechercher par e-mail, nom ou numéro de client",
    tier: "Niveau",
    anyTier: "Tous les niveaux",
    hasBalance: "A des points",
    sort: "Trier par",
    sortOptions: {
      balance: "Solde (le plus élevé d’abord)",
      spend: "Dépenses (les plus élevées d’abord)",
      lastOrder: "Dernière commande (la plus récente d’abord)",
      newest: "Membres les plus récents",
    },
    atRisk: (days: number) => `À risque (aucune commande depuis ${n(days)} ${plural(days, "jour", "jours")})`,
    empty:
      "Aucun membre ne correspond. Les clients deviennent membres quand ils créent un compte ou passent une commande.",
    emptyFiltered: "Modifiez la recherche ou effacez les filtres pour voir plus de membres.",
    clearFilters: "Effacer les filtres",
    noMembersHeading: "Aucun membre pour l’instant",
    noMembers:
      "Les clients deviennent membres quand ils créent un compte client ou passent une commande pendant que le programme est actif. Reprenez les soldes d’un autre programme, ou attribuez des points pour les commandes passées.",
    noMembersAction: "Importer des soldes",
    noMembersSecondary: "Voir le programme",
    next: "Page suivante",
    previous: "Page précédente",
    total: (count: number) => `${n(count)} ${plural(count, "membre", "membres")}`,
    columns: {
      customer: "Client",
      email: "E-mail",
      balance: "Points",
      pending: "En attente",
      tier: "Niveau",
      spent: "Dépensé",
      orders: "Commandes",
      lastOrder: "Dernière commande",
    },
  },
  customer: {
    balance: "Points",
    pending: "En attente",
    tier: "Niveau",
    progress: (remaining: string, tier: string) => `Encore ${remaining} pour atteindre ${tier}`,
    history: "Historique",
    codes: "Codes de récompense",
    noCodes: "Aucun code de récompense pour l’instant.",
    noHistory:
      "Rien pour l’instant : les points apparaissent ici quand des commandes sont payées ou que le personnel les ajuste.",
    adjust: "Ajuster les points",
    adjustPoints: "Points (négatifs pour déduire)",
    adjustReason: "Motif (le client peut le demander)",
    adjustSubmit: "Ajuster",
    adjusted: "Points ajustés",
    issue: "Offrir une récompense",
    issueSubmit: "Créer le code",
    issued: (code: string) => `Code ${code} créé`,
    pendingCode: "Shopify est occupé ; le code sera créé sous peu",
    revoke: "Révoquer",
    revoked: "Code révoqué ; points rendus",
    notFound: "Ce client n’est pas membre du programme de cette boutique.",
    issueConfirmTitle: "Offrir cette récompense ?",
    issueConfirm: (reward: string, points: number, customer: string) =>
      `${customer} reçoit un code pour ${reward}, et ${n(points)} ${plural(points, "point est déduit", "points sont déduits")} de son solde. Shopify crée le code immédiatement ; le révoquer plus tard rend les points.`,
    issueCancel: "Annuler",
    codeColumns: {
      code: "Code de réduction",
      reward: "Récompense",
      status: "Statut",
      until: "Valable jusqu’au",
    },
    historyColumns: {
      when: "Date",
      what: "Opération",
      order: "Commande",
      points: "Points",
      balance: "Solde",
      note: "Remarque",
    },
    kinds: {
      EARN: "Gagnés",
      RELEASE: "Points en attente libérés",
      REVERSE: "Repris (remboursement, annulation ou modification)",
      REDEEM: "Utilisés pour un code",
      REDEEM_REFUND: "Rendus par un code",
      EXPIRE: "Expirés",
      ADJUST: "Ajustés par le personnel",
      BONUS: "Points bonus",
      FLOW: "Shopify Flow",
    },
    codeStatuses: {
      RESERVED: "En cours de création",
      ISSUED: "Actif",
      FAILED: "Non créé",
      USED: "Utilisé",
      REVOKED: "Révoqué",
      EXPIRED: "Expiré",
    },
    /** A Shopify Flow entry's "what", with the workflow's reason when it gave one. */
    flowAwarded: (reason: string | null) =>
      reason ? `Attribués par Shopify Flow : ${reason}` : "Attribués par Shopify Flow",
    flowDeducted: (reason: string | null) =>
      reason ? `Retirés par Shopify Flow : ${reason}` : "Retirés par Shopify Flow",
    pendingNote: (count: number) => `${n(count)} en attente`,
    order: (id: string) => `Commande ${id}`,
  },
  program: {
    title: "Programme",
    saved: "Programme enregistré",
    savedWithMoves: (count: number) =>
      `Programme enregistré ; ${n(count)} ${plural(count, "membre a changé", "membres ont changé")} de niveau`,
    notUnderstood: "Le programme n’a pas pu être lu depuis cette page. Rechargez la page et réessayez.",
    errorsTitle: (count: number) =>
      `Il y a ${n(count)} ${plural(count, "erreur", "erreurs")} avec ce programme :`,
    tierWho: (name: string, position: number) => (name ? `Niveau « ${name} » :` : `Niveau ${n(position)} :`),
    rewardWho: (title: string, position: number) =>
      title ? `Récompense « ${title} » :` : `Récompense ${n(position)} :`,
    errorFields: {
      name: "le nom",
      key: "le nom",
      threshold: "le seuil",
      multiplier: "le multiplicateur de gains",
      entryRewardKey: "la récompense offerte en l’atteignant",
      title: "le titre",
      type: "le type",
      pointsCost: "le coût",
      amount: "le montant de la remise",
      percent: "le pourcentage de remise",
      minimumSubtotal: "le sous-total de commande minimum",
      codeLifetimeDays: "la durée de validité du code",
      tierKeys: "la liste des niveaux",
      rewards: "Récompenses",
      tiers: "Niveaux VIP",
    },
    earning: "Gain de points",
    earningHelp:
      "Les points sont des nombres entiers : le montant éligible d’une commande multiplié par le taux, arrondi à l’inférieur.",
    active: "Programme actif (les clients gagnent et peuvent utiliser des points)",
    earnRate: "Points par 1,00 de montant éligible",
    includes: "Le montant éligible comprend",
    includeShipping: "Expédition",
    includeTax: "Taxes",
    includeTips: "Pourboires",
    includeGiftCards: "Cartes-cadeaux",
    pendingDays: "Jours avant que les points soient utilisables",
    pendingHelp:
      "0 : immédiatement. Un délai de retour de 14 ou 30 jours empêche de dépenser les points de commandes remboursées.",
    expiryMonths: "Mois sans activité avant l’expiration des points",
    expiryHelp: "Laisser vide : les points n’expirent jamais.",
    expiryWarningDays: "Prévenir ce nombre de jours avant l’expiration",
    signupBonus: "Points pour la création d’un compte",
    birthdayBonus: "Points à l’anniversaire du client",
    returnPointsOnCancel:
      "Rendre les points quand une commande ayant utilisé un code de récompense est annulée",
    returnPointsOnExpiry: "Rendre les points quand un code de récompense expire sans avoir été utilisé",
    earnOnPos: "Les commandes passées sur Shopify POS rapportent des points",
    excludedTags: "Balises client exclues du programme",
    excludedTagsHelp:
      "Séparez les balises par des virgules, par ex. wholesale, staff. Les clients qui portent l'une de ces balises ne gagnent rien et ne voient pas le programme ; leurs points déjà acquis restent. Les commandes B2B (passées pour une entreprise) ne rapportent jamais de points.",
    tiers: "Niveaux VIP",
    tiersHelp:
      "Les membres montent de niveau quand leur activité sur la période atteint un niveau ; les niveaux multiplient les gains.",
    tierBasis: "Les niveaux sont atteints par",
    tierBasisOptions: { SPEND: "Dépenses", POINTS: "Points gagnés", ORDERS: "Nombre de commandes" },
    tierWindow: "Comptés sur",
    tierWindowOptions: {
      ROLLING_12_MONTHS: "Les 12 derniers mois",
      CALENDAR_YEAR: "L’année civile en cours",
      LIFETIME: "Depuis toujours",
    },
    tierGrace: "Conserver le niveau d’un membre jusqu’à la fin de la période suivante (délai de grâce)",
    tierTagPrefix: "Préfixe de balise client",
    tierTagHelp:
      "Les membres reçoivent une balise avec le préfixe et leur niveau, par ex. « Regulars Gold ».",
    tierName: "Nom",
    tierThreshold: "À partir de",
    tierMultiplier: "Gains ×",
    tierEntryReward: "Récompense en l’atteignant",
    noEntryReward: "Aucune",
    addTier: "Ajouter un niveau",
    removeTier: "Supprimer",
    removeTitle: (name: string) => `Supprimer ${name} ?`,
    removeBody: (count: number, to: string) =>
      count === 0
        ? "Aucun membre n’est à ce niveau."
        : `${n(count)} ${plural(count, "membre est", "membres sont")} à ce niveau. À l’enregistrement, ${plural(count, "il passe", "ils passent")} au niveau que ${plural(count, "son", "leur")} activité atteint (${to} ou inférieur). Les points ne changent pas.`,
    cancel: "Annuler",
    save: "Enregistrer",
    discard: "Ignorer",
    rewards: "Récompenses",
    rewardsHelp:
      "Ce que les membres peuvent obtenir avec leurs points. Les codes sont pour un seul client, à usage unique, et expirent.",
    rewardNotFound:
      "Une récompense de cette page ne figure plus au catalogue. Rechargez la page et réessayez.",
    rewardsEmpty:
      "Aucune récompense : les membres cumulent des points sans pouvoir les dépenser. Ajoutez une récompense, par exemple 5,00 de remise pour 500 points.",
    reward: {
      title: "Titre",
      titleHelp: "Les clients le voient sur la boutique en ligne et sur le code",
      type: "Type",
      types: {
        FIXED_AMOUNT: "Montant de remise",
        PERCENTAGE: "Pourcentage de remise",
        FREE_SHIPPING: "Livraison gratuite",
      },
      pointsCost: "Coût",
      points: "points",
      amount: "Montant de remise",
      percent: "Pourcentage de remise",
      minimumSubtotal: "Sous-total de commande minimum",
      minimumHelp: "Laisser vide : aucun minimum",
      codeLifetimeDays: "Code valable",
      days: "jours",
      key: "Clé",
      keyHelp:
        "Son nom pour la boutique en ligne ; ne peut plus changer une fois enregistré. Vide : tiré du titre.",
      keySavedHelp:
        "Son nom pour la boutique en ligne ; les codes et les utilisations passées y font référence.",
      combines: "Se combine avec",
      combinesWithOrder: "Remises sur commande",
      combinesWithProduct: "Remises sur produit",
      combinesWithShipping: "Remises sur l’expédition",
      tiers: "Seulement pour ces niveaux",
      tiersHelp: "Aucun coché : tous les niveaux peuvent l’obtenir.",
      enabled: "Les clients peuvent l’obtenir",
      disabled: "Désactivée",
      moveUp: (title: string) => `Monter ${title}`,
      moveDown: (title: string) => `Descendre ${title}`,
      up: "Monter",
      down: "Descendre",
      remove: "Supprimer",
      untitled: "Nouvelle récompense",
      add: "Ajouter une récompense",
      removeTitle: (title: string) => `Supprimer ${title} ?`,
      removeBody: (codes: number) =>
        codes === 0
          ? "Aucun code n’a été créé avec elle. À l’enregistrement, les clients ne la verront plus."
          : `${n(codes)} ${plural(codes, "code a été créé", "codes ont été créés")} avec elle : ils restent valables jusqu’à leur utilisation ou leur expiration, et les utilisations passées gardent leur historique. À l’enregistrement, les clients ne pourront plus l’obtenir ; elle est archivée, pas supprimée, et sa clé reste donc réservée.`,
      removeEntry: (tiers: string) =>
        `C’est la récompense obtenue en atteignant ${tiers} : il n’y en aura plus.`,
    },
  },
  activity: {
    title: "Activité",
    deadJobs: "Tâches ayant épuisé leurs tentatives",
    deadJobsEmpty: "Aucune tâche en échec. Tout ce que Regulars devait transmettre à Shopify a été transmis.",
    retry: "Réessayer",
    retried: "Tâche remise en file d’attente",
    notFound: "Cette tâche ne fait pas partie des tâches en échec de cette boutique",
    retriedDelivery: "Livraison remise en file d’attente",
    deliveryNotFound: "Cette livraison ne fait pas partie des livraisons en échec de cette boutique",
    deliveries: "Livraisons de webhooks récentes",
    waiting: (count: number) =>
      count === 0
        ? "Toutes les livraisons ont été appliquées."
        : `${n(count)} ${plural(count, "livraison attend", "livraisons attendent")} d’être ${plural(count, "appliquée", "appliquées")}.`,
    outcomes: { received: "En file d’attente", processed: "Appliquée", ignored: "Ignorée", failed: "Échec" },
    deliveriesEmpty:
      "Aucun webhook n’est encore arrivé. Les commandes payées dans la boutique apparaissent ici.",
    attention: "Requiert votre attention",
    attentionNone:
      "Rien ne requiert votre attention : tout ce que Shopify a envoyé a été appliqué, et tout ce que Regulars devait transmettre à Shopify a été transmis.",
    attentionHelp:
      "Regulars a fait plusieurs tentatives, puis a abandonné. Réessayez une fois la cause corrigée (le plus souvent, Shopify était indisponible pendant un moment).",
    failedAt: (when: string) => `Arrêtée le ${when}`,
    happened: "Ce qui s’est passé",
    happenedHelp: "Les dernières nouvelles de votre boutique, les plus récentes en premier.",
    columns: { what: "Événement", result: "Résultat", when: "Date" },
    showDetails: "Afficher les détails techniques",
    hideDetails: "Masquer les détails techniques",
    detailsHelp:
      "Pour l’assistance : les tâches et les livraisons de webhooks telles que Regulars les enregistre.",
    technicalColumns: {
      job: "Tâche",
      error: "Erreur",
      attempts: "Tentatives",
      failed: "Échec le",
      topic: "Sujet",
      outcome: "Résultat",
      detail: "Détail",
      copies: "Exemplaires",
      received: "Reçue le",
    },
    failedJobs: {
      "member-sync":
        "Les points et le niveau d’un client n’ont pas pu être enregistrés dans Shopify : votre boutique peut donc les afficher sans les dernières modifications.",
      "code-issue": "Un code de récompense n’a pas pu être créé dans Shopify.",
      "campaign-issue": "Un code de reconquête n’a pas pu être créé dans Shopify.",
      "flow-send":
        "Un déclencheur Shopify Flow n’a pas pu être envoyé : un workflow ne s’est donc pas exécuté.",
      "notification-send": "Un e-mail de notification à un client n’a pas pu être envoyé.",
      "shop-setup": "La configuration de Regulars dans votre boutique ne s’est pas terminée.",
      "program-sync":
        "Les paramètres du programme n’ont pas pu être enregistrés dans Shopify : votre boutique peut donc afficher les anciens.",
      backfill: "L’attribution de points pour les commandes passées s’est arrêtée avant la fin.",
      "dashboard-rollups": "Les chiffres du tableau de bord n’ont pas pu être mis à jour.",
      maintenance:
        "L’entretien courant ne s’est pas terminé : libération des points en attente, expiration des codes et des points, bonus d’anniversaire.",
      "schedule-hourly": "L’entretien horaire de Regulars n’a pas pu démarrer.",
      "schedule-daily": "L’entretien quotidien de Regulars n’a pas pu démarrer.",
      reconcile: "La vérification des tâches inachevées de Regulars n’a pas pu s’exécuter.",
    },
    failedJobFallback: "Une partie du travail de Regulars n’a pas pu être terminée.",
    failedDelivery: (what: string) => `${what} : Regulars n’a pas pu l’appliquer.`,
    topics: {
      ORDERS_PAID: "Commande payée",
      ORDERS_UPDATED: "Commande modifiée",
      ORDERS_CANCELLED: "Commande annulée",
      REFUNDS_CREATE: "Remboursement",
      CUSTOMERS_CREATE: "Client créé",
      CUSTOMERS_UPDATE: "Client mis à jour",
      APP_UNINSTALLED: "Regulars désinstallée",
      APP_SCOPES_UPDATE: "Autorisations de Regulars modifiées",
      CUSTOMERS_DATA_REQUEST: "Un client a demandé ses données",
      CUSTOMERS_REDACT: "Données d’un client effacées",
      SHOP_REDACT: "Données de la boutique effacées",
    },
    topicFallback: "Mise à jour de Shopify",
    emptyHeading: "Rien ne s’est encore passé",
    empty:
      "Chaque commande, remboursement et mise à jour de client que Shopify envoie à Regulars figure ici avec son résultat, et toute tâche qui n’a pas pu joindre Shopify après ses tentatives attend ici avec un bouton Réessayer. Passez une commande test dans votre boutique pour en voir une arriver.",
  },
  campaigns: {
    title: "Campagnes de reconquête",
    newCampaign: "Nouvelle campagne",
    emptyHeading: "Faites revenir les clients inactifs",
    empty:
      "Une campagne donne à chaque client qui n’a pas commandé depuis un moment un code personnel qui expire, et lui ajoute une balise dans Shopify, pour que Shopify Email, Flow ou Klaviyo puisse l’envoyer. Elle montre ensuite qui est revenu et ce qu’il a dépensé.",
    columns: {
      name: "Campagne",
      status: "Statut",
      launched: "Lancée le",
      recipients: "Clients",
      progress: "Codes créés",
    },
    statuses: { RUNNING: "Création des codes", DONE: "Codes créés", CANCELLED: "Annulée" },
    newTitle: "Nouvelle campagne de reconquête",
    segment: "Qui reçoit l’offre",
    segmentHelp:
      "Les clients dont la dernière commande est plus ancienne que le nombre de jours choisi, avec au moins le nombre de commandes choisi. La liste est figée au lancement.",
    inactiveDays: "Aucune commande depuis",
    minOrders: "Au moins ce nombre de commandes",
    days: "jours",
    segmentSize: (count: number) =>
      `${n(count)} ${plural(count, "client", "clients")} dans ce segment actuellement`,
    offer: "L’offre",
    offerHelp: "Chaque client reçoit un code personnel : pour lui seul, à usage unique, qui expire.",
    offerType: "Remise",
    offerTypes: { PERCENTAGE: "Pourcentage de remise", FIXED_AMOUNT: "Montant de remise" },
    offerWords: {
      percentOff: (percent) => `${percent} de remise`,
      amountOff: (amount) => `${amount} de remise`,
      fromMinimum: (offer, minimum) => `${offer}, commandes à partir de ${minimum}`,
    },
    percent: "Pourcentage de remise",
    amount: "Montant de remise",
    validDays: "Code valable",
    minimumSubtotal: "Sous-total de commande minimum",
    minimumHelp: "Laisser vide : aucun minimum",
    name: "Nom de la campagne",
    nameHelp: (tag: string) => `Les clients reçoivent la balise « ${tag} ». Vide : la date de lancement.`,
    launch: "Lancer la campagne",
    back: "Retour",
    launchConfirm: (count: number) =>
      plural(
        count,
        `Créer un code pour ${n(count)} client et lui ajouter une balise dans Shopify ?`,
        `Créer un code pour chacun des ${n(count)} clients et leur ajouter une balise dans Shopify ?`,
      ),
    fixErrors: "Certains champs sont à corriger ; rien n’a été lancé",
    errorsTitle: (count: number) =>
      `Il y a ${n(count)} ${plural(count, "erreur", "erreurs")} avec cette campagne ; rien n’a été lancé :`,
    errorFields: {
      inactiveDays: "Jours sans commande",
      minOrders: "Nombre de commandes",
      offerType: "Remise",
      PERCENTAGE: "Pourcentage de remise",
      FIXED_AMOUNT: "Montant de remise",
      validDays: "Jours de validité du code",
      minimumSubtotal: "Sous-total de commande minimum",
      name: "Nom de la campagne",
      idempotencyKey: "Ce formulaire",
    },
    notFound: "Cette campagne ne fait pas partie des campagnes de cette boutique.",
    progress: "Progression",
    progressLine: (done: number, total: number) =>
      `${n(done)} ${plural(done, "code créé", "codes créés")} sur ${n(total)}`,
    taggedLine: (count: number) =>
      `${n(count)} ${plural(count, "client a reçu sa balise", "clients ont reçu leur balise")}`,
    failures: "Codes refusés par Shopify",
    failuresEmpty: "Aucun échec.",
    retry: "Réessayer les échecs",
    retried: (count: number) =>
      `${n(count)} ${plural(count, "destinataire remis", "destinataires remis")} en file d’attente`,
    exportCodes: "Exporter les codes (CSV)",
    cancel: "Annuler la campagne",
    cancelConfirm:
      "Arrêter de créer des codes ? Les codes déjà créés restent valables jusqu’à leur expiration (supprimez-les dans les Remises de Shopify pour les révoquer).",
    cancelled: "Campagne annulée ; plus aucun code ne sera créé",
    results: "Résultats",
    resultsHelp:
      "D’après les commandes payées depuis le lancement, ni annulées ni tests, passées par les clients du segment. Le chiffre d’affaires comprend les articles, l’expédition, les taxes et les pourboires, moins les remboursements.",
    measures: {
      segment: "Clients du segment",
      codesUsed: "Codes utilisés",
      cameBack: "Clients revenus",
      revenue: "Chiffre d’affaires de leurs commandes",
      codeRevenue: "Chiffre d’affaires des commandes avec les codes",
    },
    ofSegment: (rate: string) => `${rate} du segment`,
    orders: (count: number) => `${n(count)} ${plural(count, "commande", "commandes")}`,
    details: (tag: string, ends: string) => `Balise « ${tag} » · codes valables jusqu’au ${ends}`,
  },
  backfill: {
    title: "Commandes passées",
    intro:
      "Attribuez des points pour les commandes payées avant l’installation de Regulars. Shopify lit les commandes en arrière-plan ; chaque commande n’est créditée qu’une fois, même si son webhook arrive aussi.",
    recentOnly: (from: string) =>
      `Shopify partage les 60 derniers jours de commandes (depuis le ${from}). Pour les commandes plus anciennes, Regulars vous demande l’accès à toutes les commandes au démarrage.`,
    allOrdersGranted:
      "Vous avez donné à Regulars l’accès à toutes les commandes : n’importe quelle date peut être reprise.",
    olderAsks:
      "Ces dates remontent à plus de 60 jours : Shopify vous demandera de donner à Regulars l’accès à toutes les commandes au démarrage.",
    declined: (from: string) =>
      `Sans accès à toutes les commandes, Shopify ne partage que les commandes depuis le ${from}. Rien n’a été lancé.`,
    startRecent: (from: string) => `Commencer au ${from}`,
    shopifyUnavailable:
      "Impossible de demander à Shopify l’accès aux commandes plus anciennes pour le moment. Réessayez.",
    from: "Payées à partir du (UTC)",
    to: "Payées jusqu’au, inclus (UTC)",
    start: "Attribuer des points pour ces commandes",
    running: "Une reprise est en cours",
    fixDates: "Choisissez les dates des commandes à créditer.",
    chooseFrom: "Choisissez le premier jour des commandes à créditer.",
    chooseTo: "Choisissez le dernier jour des commandes à créditer.",
    started: "Reprise lancée",
    cancel: "Annuler",
    cancelled: "Reprise annulée",
    notFound: "Cette reprise ne fait pas partie des reprises de cette boutique.",
    progress: (done: number, total: number | null) =>
      total === null
        ? `${n(done)} ${plural(done, "commande traitée", "commandes traitées")}`
        : `${n(done)} ${plural(done, "commande traitée", "commandes traitées")} sur ${n(total)}`,
    reading: "Lecture des commandes",
    read: (read: number, total: number | null) =>
      total === null
        ? `${n(read)} ${plural(read, "commande lue", "commandes lues")} ; les points sont attribués une fois toutes lues`
        : `${n(read)} ${plural(read, "commande lue", "commandes lues")} sur ${n(total)} ; les points sont attribués une fois toutes lues`,
    credited: (orders: number, points: number) =>
      `${n(orders)} ${plural(orders, "commande créditée", "commandes créditées")}, ${n(points)} ${plural(points, "point", "points")}`,
    status: {
      PENDING: "Démarrage",
      QUERYING: "Shopify lit les commandes",
      PROCESSING: "Attribution des points",
      COMPLETED: "Terminée",
      FAILED: "Échec",
      CANCELLED: "Annulée",
    },
    history: "Reprises",
    historyEmpty: "Aucune reprise pour l’instant. Choisissez ci-dessus les dates des commandes à créditer.",
    columns: { range: "Commandes payées", status: "Statut", orders: "Commandes", points: "Points" },
  },
  onboarding: {
    title: "Commencer",
    help: "Quelques étapes rendent Regulars visible pour vos clients.",
    dismiss: "Ignorer",
    unknown: "Vérification impossible pour le moment",
    recheck: "Vérifier à nouveau",
    unknownAction: "L’action de ce bouton est inconnue. Rechargez la page et réessayez.",
    allSetTitle: "Tout est prêt",
    allSet:
      "Regulars est actif, vos clients le voient dans votre thème et les commandes passées ont rapporté leurs points. Vous pouvez ignorer ce guide.",
    done: "Terminé",
    steps: {
      program: [
        "Activer le programme",
        "Les clients ne gagnent des points que lorsque le programme est actif.",
        "Ouvrir le programme",
      ],
      embed: [
        "Activer le lanceur de récompenses",
        "L’intégration d’application ajoute le bouton des récompenses à chaque page de votre thème.",
        "Activer dans l’éditeur de thème",
      ],
      block: [
        "Ajouter le bloc de fidélité",
        "Le bloc de statut de fidélité affiche les points et le niveau d’un client sur votre page d’accueil.",
        "Ajouter dans l’éditeur de thème",
      ],
      backfill: [
        "Attribuer des points pour les commandes passées",
        "Les clients commencent avec les points que leurs commandes passées leur rapportent.",
        "Reprendre les commandes passées",
      ],
    },
  },
  notifications: {
    nav: "Notifications",
    title: "Notifications",
    intro:
      "Prévenez les clients quand ils gagnent des points, quand une récompense est prête, quand des points vont expirer et quand ils atteignent un niveau. Avec Shopify Flow, utilisez les déclencheurs de Regulars (recettes dans le README). Sans Flow, Regulars leur envoie un e-mail par votre propre serveur SMTP.",
    smtp: "Votre serveur SMTP",
    smtpHelp:
      "Regulars envoie par ce serveur, depuis votre adresse. Seuls les clients qui acceptent le marketing par e-mail dans Shopify reçoivent ces e-mails, et chaque e-mail contient un lien de désabonnement.",
    host: "Hôte",
    port: "Port",
    secure: "Utiliser TLS",
    secureHelp: "Port 465 : TLS dès la connexion. Autres ports : STARTTLS est exigé.",
    username: "Nom d’utilisateur",
    password: "Mot de passe",
    passwordSaved: "Un mot de passe est enregistré. Laissez vide pour le conserver.",
    passwordStored: "Stocké chiffré.",
    from: "Adresse d’expédition",
    defaultLocale: "Langue quand celle du client est inconnue",
    defaultLocaleHelp:
      "Choisissez la langue principale de votre boutique. Les clients dont Shopify connaît la langue reçoivent la leur.",
    locales: { en: "Anglais", fr: "Français", de: "Allemand", es: "Espagnol" },
    events: "E-mails à envoyer",
    eventsHelp: "Chaque e-mail part une fois par événement, après l’enregistrement des points.",
    eventNames: {
      pointsEarned: "Points gagnés",
      rewardReady: "Récompense prête à utiliser",
      pointsExpiring: "Points bientôt expirés",
      tierReached: "Niveau atteint",
    },
    eventHelp: {
      pointsEarned: "Après une commande payée ou un bonus.",
      rewardReady: "Avec le code de réduction, dès qu’il est créé.",
      pointsExpiring: "Avant l’expiration du solde (quand les points du programme expirent).",
      tierReached: "Quand un client monte à un niveau.",
    },
    expiryWarningDays: "Jours avant l’expiration pour prévenir",
    expiryWarningDaysHelp:
      "Le même réglage que l’avertissement d’expiration du programme et le déclencheur Flow.",
    save: "Enregistrer",
    saved: "Réglages des notifications enregistrés",
    sendTest: "Envoyer un e-mail de test",
    testSent: (to: string) => `E-mail de test envoyé à ${to}`,
    testFailed: (reason: string) => `L’e-mail de test n’a pas pu être envoyé : ${reason}`,
    fixErrors: "Certains réglages sont à corriger ; rien n’a été enregistré",
    preview: "Aperçu",
    previewHelp: "L’e-mail tel qu’un client le reçoit, avec des données d’exemple.",
    previewEvent: "E-mail",
    previewLocale: "Langue",
    previewSubject: (subject: string) => `Objet : ${subject}`,
    previewFrame: "Aperçu de l’e-mail",
    recent: "E-mails récents",
    recentEmpty: "Aucun e-mail pour l’instant.",
    columns: { event: "E-mail", to: "Destinataire", status: "Statut", detail: "Quand ou pourquoi" },
    status: { pending: "En attente", sent: "Envoyé", skipped: "Non envoyé" },
    reasons: {
      "no-consent": "Pas de consentement au marketing par e-mail",
      unsubscribed: "Désabonné",
      "no-address": "Pas d’adresse e-mail",
      off: "E-mail désactivé pour cet événement",
      "not-a-step-up": "Pas une montée vers un niveau supérieur",
      "no-event": "L’événement a été supprimé",
    },
    errors: {
      host: "Saisissez le nom d’hôte du serveur SMTP, par exemple smtp.example.com",
      port: "Saisissez un port de 1 à 65535 (souvent 465 ou 587)",
      username: "Le nom d’utilisateur est trop long",
      password: "Saisissez le mot de passe de ce nom d’utilisateur",
      passwordLength: "Le mot de passe est trop long",
      from: "Saisissez une seule adresse e-mail, par exemple rewards@example.com",
      locale: (list: string) => `Choisissez parmi : ${list}`,
      days: "Saisissez un nombre de jours de 1 à 90",
    },
  },
};
