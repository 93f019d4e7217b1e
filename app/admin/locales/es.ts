/** The admin in Spanish (Shopify's Spanish admin words: Clientes, Pedidos, Descuentos, Etiquetas; "tú"). */
import type { AdminStrings } from "../admin-strings";
import { bucketLabelIn, counting } from "./plural";

const { n, plural } = counting("es");

export const es: AdminStrings = {
  loading: "Cargando la página",
  download: {
    started: "Descarga iniciada",
    failed: "No se pudo iniciar la descarga. Inténtalo de nuevo.",
  },
  dataRequests: {
    title: (count: number) =>
      `${n(count)} ${plural(count, "solicitud de datos de cliente por responder", "solicitudes de datos de clientes por responder")}`,
    help: "Un cliente pidió a tu tienda sus datos. Descarga lo que Regulars tiene sobre él, entrégaselo al cliente y marca la solicitud como entregada. Shopify pide hacerlo en un plazo de 30 días.",
    customerNumber: (id: string) => `Cliente ${id}`,
    dates: (requested: string, due: string) => `Solicitada el ${requested} · responder antes del ${due}`,
    overdue: "Vencida",
    download: "Descargar datos",
    markDelivered: "Marcar como entregada",
    delivered: "Marcada como entregada",
    alreadyDelivered: "Esta solicitud ya estaba marcada como entregada",
    failed: "No se pudo marcar la solicitud. Inténtalo de nuevo.",
    more: (count: number) =>
      `y ${n(count)} ${plural(count, "más, que aparecerá", "más, que aparecerán")} cuando estas se entreguen`,
    notFound: "No se encontró esta solicitud de datos en esta tienda.",
  },
  dashboard: {
    title: "Regulars",
    period: "Período",
    periods: {
      "30": "Últimos 30 días, por día",
      "90": "Últimas 13 semanas, por semana",
      "365": "Últimos 12 meses, por mes",
    },
    members: "Miembros",
    liability: "Puntos pendientes, valorados",
    liabilityHelp: "Puntos sin gastar al valor por punto de la mejor recompensa de importe fijo",
    redemptionRate: "Tasa de canje",
    redemptionHelp: "Puntos canjeados / puntos otorgados en el período",
    issued: "Puntos otorgados",
    redeemed: "Puntos canjeados",
    expired: "Puntos vencidos",
    codeRevenue: "Ingresos de pedidos con códigos de recompensa",
    codeOrders: (count: number) => `${n(count)} ${plural(count, "pedido", "pedidos")}`,
    retention: "Retención: miembros frente a no miembros",
    retentionHelp:
      "Los miembros tienen una cuenta de cliente o han canjeado una recompensa. Los ingresos incluyen artículos, envío, impuestos y propinas, menos los reembolsos.",
    group: { members: "Miembros", nonMembers: "No miembros" },
    measures: {
      customers: ["Clientes", "Cualquiera con un pedido pagado"],
      repeatPurchaseRate: ["Tasa de recompra", "Clientes con 2 o más pedidos / clientes"],
      averageLifetimeValue: ["Valor de vida medio", "Ingresos hasta la fecha / clientes"],
      purchaseFrequency: ["Frecuencia de compra", "Pedidos / clientes"],
      churnRate: [
        "Abandono",
        "De los compradores del último año, la proporción sin pedidos en los últimos {days} días",
      ],
      atRisk: ["En riesgo", "Clientes cuyo último pedido tiene más de {days} días"],
    },
    tiers: "Miembros por nivel",
    tierRow: "Nivel",
    overTime: "Puntos a lo largo del tiempo",
    overTimeHelp: (zone: string) =>
      `Otorgados: ganados (una vez disponibles), bonificaciones y ajustes positivos. Canjeados: gastados en códigos, menos los puntos devueltos. Los días empiezan a medianoche en la zona horaria de la tienda (${zone}).`,
    bucketRow: { day: "Día", week: "Semana del", month: "Mes" },
    bucketLabel: bucketLabelIn("es"),
    showTable: "Mostrar como tabla",
    hideTable: "Ocultar la tabla",
    chartLoading: "Cargando el gráfico",
    noOrdersHeading: "Aún no hay pedidos",
    noOrders:
      "Los miembros ganan puntos cuando se pagan sus pedidos, y las cifras de aquí los siguen. Revisa las reglas de acumulación y las recompensas del programa, agrega los bloques de fidelidad a tu tema para que los clientes vean sus puntos o trae los saldos de otro programa.",
    noOrdersAction: "Revisar el programa",
    noOrdersSecondary: "Importar saldos",
  },
  nav: {
    home: "Inicio",
    program: "Programa",
    customers: "Clientes",
    importExport: "Importar y exportar",
    activity: "Actividad",
    backfill: "Pedidos anteriores",
    winBack: "Recuperación",
  },
  importExport: {
    title: "Importar y exportar",
    importTitle: "Importar saldos de otro programa",
    importHelp:
      "Un archivo CSV con una línea de encabezado que nombra una columna «email» y una columna «points». Primero se comprueba cada fila; si alguna fila es incorrecta, no se importa nada. Importar dos veces el mismo archivo no cambia nada.",
    file: "Archivo CSV",
    mode: "Los puntos del archivo",
    modes: { add: "se suman a cada saldo", set: "pasan a ser cada saldo" },
    dryRun: "Comprobar el archivo",
    run: "Importar",
    noFile: "Elige un archivo CSV",
    report: (r: {
      rows: number;
      changes: number;
      unchanged: number;
      pointsAdded: number;
      pointsRemoved: number;
      dryRun: boolean;
    }) =>
      `${n(r.rows)} ${plural(r.rows, "fila", "filas")}: ${n(r.changes)} ${
        r.dryRun ? plural(r.changes, "cambiaría", "cambiarían") : plural(r.changes, "cambiada", "cambiadas")
      } (+${n(r.pointsAdded)} / -${n(r.pointsRemoved)} puntos), ${n(r.unchanged)} sin cambios.`,
    errorsTitle: (count: number) =>
      `${n(count)} ${plural(count, "fila por corregir", "filas por corregir")}; no se importó nada`,
    exportTitle: "Exportar",
    exportMembers: "Miembros (CSV)",
    exportLedger: "Historial de puntos (CSV)",
    imported: (changes: number) => `${n(changes)} ${plural(changes, "saldo importado", "saldos importados")}`,
    checked: "Archivo comprobado; no se importó nada",
  },
  protectedData: {
    notice:
      "Los nombres y correos electrónicos aparecen cuando Shopify aprueba el acceso de Regulars a los datos protegidos de clientes. Hasta entonces, los clientes se muestran con su número de cliente de Shopify, que la búsqueda también encuentra.",
    learnMore: "Acerca de los datos protegidos de clientes",
  },
  customers: {
    title: "Clientes",
    search: "Buscar por correo electrónico, nombre o número de cliente",
    tier: "Nivel",
    anyTier: "Cualquier nivel",
    hasBalance: "Tiene puntos",
    sort: "Ordenar por",
    sortOptions: {
      balance: "Saldo (el más alto primero)",
      spend: "Gasto (el más alto primero)",
      lastOrder: "Último pedido (el más reciente primero)",
      newest: "Miembros más recientes",
    },
    atRisk: (days: number) => `En riesgo (sin pedidos en ${n(days)} ${plural(days, "día", "días")})`,
    empty: "Ningún miembro coincide. Los clientes se unen cuando crean una cuenta o hacen un pedido.",
    emptyFiltered: "Cambia la búsqueda o borra los filtros para ver más miembros.",
    clearFilters: "Borrar filtros",
    noMembersHeading: "Aún no hay miembros",
    noMembers:
      "Los clientes se hacen miembros cuando crean una cuenta de cliente o hacen un pedido mientras el programa está activo. Trae los saldos de otro programa u otorga puntos por pedidos anteriores.",
    noMembersAction: "Importar saldos",
    noMembersSecondary: "Revisar el programa",
    next: "Página siguiente",
    first: "Primera página",
    columns: {
      customer: "Cliente",
      balance: "Puntos",
      pending: "Pendientes",
      tier: "Nivel",
      spent: "Gastado",
      orders: "Pedidos",
      lastOrder: "Último pedido",
    },
  },
  customer: {
    balance: "Puntos",
    pending: "Pendientes",
    tier: "Nivel",
    progress: (remaining: string, tier: string) => `Faltan ${remaining} para llegar a ${tier}`,
    history: "Historial",
    codes: "Códigos de recompensa",
    noCodes: "Aún no hay códigos de recompensa.",
    noHistory: "Nada todavía: los puntos aparecen aquí cuando se pagan pedidos o el personal los ajusta.",
    adjust: "Ajustar puntos",
    adjustPoints: "Puntos (negativos para descontar)",
    adjustReason: "Motivo (el cliente puede preguntar)",
    adjustSubmit: "Ajustar",
    adjusted: "Puntos ajustados",
    issue: "Otorgar una recompensa",
    issueSubmit: "Crear código",
    issued: (code: string) => `Código ${code} creado`,
    pendingCode: "Shopify está ocupado; el código se creará en breve",
    revoke: "Revocar",
    revoked: "Código revocado; puntos devueltos",
    notFound: "Este cliente no es miembro del programa de esta tienda.",
  },
  program: {
    title: "Programa",
    saved: "Programa guardado",
    savedWithMoves: (count: number) =>
      `Programa guardado; ${n(count)} ${plural(count, "miembro cambió", "miembros cambiaron")} de nivel`,
    fixErrors: "Hay que corregir algunos ajustes",
    earning: "Acumulación",
    earningHelp:
      "Los puntos son números enteros: el gasto elegible de un pedido por la tasa, redondeado hacia abajo.",
    active: "El programa está activo (los clientes acumulan y pueden canjear)",
    earnRate: "Puntos por cada 1,00 de gasto elegible",
    includes: "El gasto elegible incluye",
    includeShipping: "Envío",
    includeTax: "Impuestos",
    includeTips: "Propinas",
    includeGiftCards: "Tarjetas de regalo",
    pendingDays: "Días antes de poder gastar los puntos",
    pendingHelp:
      "0: de inmediato. Un plazo de devolución de 14 o 30 días evita que se gasten los puntos de pedidos reembolsados.",
    expiryMonths: "Meses sin actividad antes de que venzan los puntos",
    expiryHelp: "Déjalo vacío: los puntos no vencen nunca.",
    expiryWarningDays: "Avisar estos días antes del vencimiento",
    signupBonus: "Puntos por crear una cuenta",
    birthdayBonus: "Puntos en el cumpleaños del cliente",
    returnPointsOnCancel: "Devolver los puntos cuando se cancela un pedido que usó un código de recompensa",
    returnPointsOnExpiry: "Devolver los puntos cuando un código de recompensa vence sin usarse",
    tiers: "Niveles VIP",
    tiersHelp:
      "Los miembros suben cuando su actividad en el período alcanza un nivel; los niveles multiplican la acumulación.",
    tierBasis: "Los niveles se alcanzan por",
    tierBasisOptions: { SPEND: "Gasto", POINTS: "Puntos ganados", ORDERS: "Número de pedidos" },
    tierWindow: "Contado durante",
    tierWindowOptions: {
      ROLLING_12_MONTHS: "Los últimos 12 meses",
      CALENDAR_YEAR: "Este año natural",
      LIFETIME: "Todo el tiempo",
    },
    tierGrace: "Mantener el nivel de un miembro hasta el final del siguiente período (gracia)",
    tierTagPrefix: "Prefijo de etiqueta de cliente",
    tierTagHelp: "Los miembros reciben una etiqueta con el prefijo y su nivel, p. ej., «Regulars Gold».",
    tierName: "Nombre",
    tierThreshold: "Desde",
    tierMultiplier: "Acumulación ×",
    tierEntryReward: "Recompensa al alcanzarlo",
    noEntryReward: "Ninguna",
    addTier: "Agregar nivel",
    removeTier: "Eliminar",
    removeTitle: (name: string) => `¿Eliminar ${name}?`,
    removeBody: (count: number, to: string) =>
      count === 0
        ? "Ningún miembro está en este nivel."
        : `${n(count)} ${plural(count, "miembro está", "miembros están")} en él. Al guardar, ${plural(count, "pasa", "pasan")} al nivel que alcanza su actividad (${to} o inferior). Los puntos no cambian.`,
    cancel: "Cancelar",
    save: "Guardar",
    discard: "Descartar",
    rewards: "Recompensas",
    rewardsHelp:
      "Lo que los miembros pueden canjear. Los códigos son para un cliente, de un solo uso, y vencen.",
    rewardNotFound:
      "Una recompensa de esta página ya no está en el catálogo. Vuelve a cargar la página e inténtalo de nuevo.",
    rewardsEmpty:
      "Sin recompensas: los miembros acumulan puntos pero no pueden gastarlos. Agrega una recompensa, como 5,00 de descuento por 500 puntos.",
    reward: {
      title: "Título",
      titleHelp: "Los clientes lo ven en la tienda online y en el código",
      type: "Tipo",
      types: {
        FIXED_AMOUNT: "Importe de descuento",
        PERCENTAGE: "Porcentaje de descuento",
        FREE_SHIPPING: "Envío gratis",
      },
      pointsCost: "Costo",
      points: "puntos",
      amount: "Importe de descuento",
      percent: "Porcentaje de descuento",
      minimumSubtotal: "Subtotal mínimo del pedido",
      minimumHelp: "Déjalo vacío: sin mínimo",
      codeLifetimeDays: "Código válido durante",
      days: "días",
      key: "Clave",
      keyHelp:
        "Su nombre en la tienda online; no puede cambiar una vez guardado. Vacío: se genera a partir del título.",
      keySavedHelp: "Su nombre en la tienda online; los códigos y los canjes anteriores se refieren a él.",
      combines: "Se combina con",
      combinesWithOrder: "Descuentos en pedidos",
      combinesWithProduct: "Descuentos en productos",
      combinesWithShipping: "Descuentos en envíos",
      tiers: "Solo para estos niveles",
      tiersHelp: "Ninguno marcado: todos los niveles pueden canjearla.",
      enabled: "Los clientes pueden canjearla",
      disabled: "Desactivada",
      moveUp: (title: string) => `Subir ${title}`,
      moveDown: (title: string) => `Bajar ${title}`,
      up: "Subir",
      down: "Bajar",
      remove: "Eliminar",
      untitled: "Nueva recompensa",
      add: "Agregar recompensa",
      removeTitle: (title: string) => `¿Eliminar ${title}?`,
      removeBody: (codes: number) =>
        codes === 0
          ? "No se creó ningún código con ella. Al guardar, los clientes dejan de verla."
          : `Se ${plural(codes, "creó", "crearon")} ${n(codes)} ${plural(codes, "código", "códigos")} con ella: siguen funcionando hasta que se usen o venzan, y los canjes anteriores conservan su historial. Al guardar, los clientes ya no pueden canjearla; se archiva, no se elimina, así que su clave queda reservada.`,
      removeEntry: (tiers: string) => `Es la recompensa al alcanzar ${tiers}: se quedará sin ninguna.`,
    },
  },
  activity: {
    title: "Actividad",
    deadJobs: "Tareas que agotaron sus reintentos",
    deadJobsEmpty:
      "No hay tareas fallidas. Todo lo que Regulars tenía que comunicar a Shopify se ha comunicado.",
    retry: "Reintentar",
    retried: "Tarea en cola de nuevo",
    notFound: "Esa tarea no es una de las tareas fallidas de esta tienda",
    retriedDelivery: "Entrega en cola de nuevo",
    deliveryNotFound: "Esa entrega no es una de las entregas fallidas de esta tienda",
    deliveries: "Entregas de webhooks recientes",
    waiting: (count: number) =>
      count === 0
        ? "Se han aplicado todas las entregas."
        : `${n(count)} ${plural(count, "entrega espera", "entregas esperan")} a ser ${plural(count, "aplicada", "aplicadas")}.`,
    outcomes: { received: "En cola", processed: "Aplicada", ignored: "Ignorada", failed: "Fallida" },
    deliveriesEmpty: "Aún no ha llegado ningún webhook. Los pedidos pagados en la tienda aparecen aquí.",
    emptyHeading: "Todavía no ha pasado nada",
    empty:
      "Cada pedido, reembolso y actualización de cliente que Shopify envía a Regulars aparece aquí con su resultado, y cualquier tarea que no pudo llegar a Shopify tras sus reintentos espera aquí con un botón Reintentar. Haz un pedido de prueba en tu tienda para ver cómo llega uno.",
  },
  campaigns: {
    title: "Campañas de recuperación",
    newCampaign: "Nueva campaña",
    emptyHeading: "Haz volver a los clientes inactivos",
    empty:
      "Una campaña da a cada cliente que lleva tiempo sin comprar un código personal que vence, y lo etiqueta en Shopify para que Shopify Email, Flow o Klaviyo puedan enviarlo. Después muestra quién volvió y cuánto gastó.",
    columns: {
      name: "Campaña",
      status: "Estado",
      launched: "Lanzada",
      recipients: "Clientes",
      progress: "Códigos creados",
    },
    statuses: { RUNNING: "Creando códigos", DONE: "Códigos creados", CANCELLED: "Cancelada" },
    newTitle: "Nueva campaña de recuperación",
    segment: "Quién recibe la oferta",
    segmentHelp:
      "Clientes cuyo último pedido es más antiguo que los días que indiques, con al menos los pedidos que indiques. La lista se fija al lanzar la campaña.",
    inactiveDays: "Sin pedidos en los últimos",
    minOrders: "Al menos esta cantidad de pedidos",
    days: "días",
    segmentSize: (count: number) =>
      `${n(count)} ${plural(count, "cliente", "clientes")} en este segmento ahora`,
    offer: "La oferta",
    offerHelp: "Cada cliente recibe un código personal: solo para él, de un solo uso y con vencimiento.",
    offerType: "Descuento",
    offerTypes: { PERCENTAGE: "Porcentaje de descuento", FIXED_AMOUNT: "Importe de descuento" },
    percent: "Porcentaje de descuento",
    amount: "Importe de descuento",
    validDays: "Código válido durante",
    minimumSubtotal: "Subtotal mínimo del pedido",
    minimumHelp: "Déjalo vacío: sin mínimo",
    name: "Nombre de la campaña",
    nameHelp: (tag: string) => `Los clientes reciben la etiqueta «${tag}». Vacío: la fecha de lanzamiento.`,
    launch: "Lanzar campaña",
    back: "Atrás",
    launchConfirm: (count: number) =>
      plural(
        count,
        `¿Crear un código para ${n(count)} cliente y etiquetarlo en Shopify?`,
        `¿Crear un código para cada uno de los ${n(count)} clientes y etiquetarlos en Shopify?`,
      ),
    fixErrors: "Hay que corregir algunos campos; no se lanzó nada",
    notFound: "Esta campaña no es una de las campañas de esta tienda.",
    progress: "Progreso",
    progressLine: (done: number, total: number) => `${n(done)} de ${n(total)} códigos creados`,
    taggedLine: (count: number) =>
      `${n(count)} ${plural(count, "cliente etiquetado", "clientes etiquetados")}`,
    failures: "Códigos rechazados por Shopify",
    failuresEmpty: "Sin fallos.",
    retry: "Reintentar los fallos",
    retried: (count: number) =>
      `${n(count)} ${plural(count, "destinatario", "destinatarios")} en cola de nuevo`,
    exportCodes: "Exportar códigos (CSV)",
    cancel: "Cancelar campaña",
    cancelConfirm:
      "¿Dejar de crear códigos? Los códigos ya creados siguen siendo válidos hasta que venzan (elimínalos en Descuentos de Shopify para revocarlos).",
    cancelled: "Campaña cancelada; no se crearán más códigos",
    results: "Resultados",
    resultsHelp:
      "A partir de los pedidos pagados desde el lanzamiento que no están cancelados ni son de prueba, hechos por clientes del segmento. Los ingresos incluyen artículos, envío, impuestos y propinas, menos los reembolsos.",
    measures: {
      segment: "Clientes del segmento",
      codesUsed: "Códigos usados",
      cameBack: "Clientes que volvieron",
      revenue: "Ingresos de sus pedidos",
      codeRevenue: "Ingresos de pedidos con los códigos",
    },
    ofSegment: (rate: string) => `${rate} del segmento`,
    orders: (count: number) => `${n(count)} ${plural(count, "pedido", "pedidos")}`,
    details: (tag: string, ends: string) => `Etiqueta «${tag}» · códigos válidos hasta el ${ends}`,
  },
  backfill: {
    title: "Pedidos anteriores",
    intro:
      "Otorga puntos por pedidos pagados antes de instalar Regulars. Shopify lee los pedidos en segundo plano; cada pedido se acredita una sola vez, aunque también llegue su webhook.",
    recentOnly: (from: string) =>
      `Shopify comparte los pedidos de los últimos 60 días (desde el ${from}). Para pedidos más antiguos, Regulars te pide acceso a todos los pedidos al empezar.`,
    allOrdersGranted: "Diste a Regulars acceso a todos los pedidos: se puede procesar cualquier fecha.",
    olderAsks:
      "Estas fechas van más allá de 60 días: Shopify te pedirá que des a Regulars acceso a todos los pedidos al empezar.",
    declined: (from: string) =>
      `Sin acceso a todos los pedidos, Shopify solo comparte los pedidos desde el ${from}. No se inició nada.`,
    startRecent: (from: string) => `Empezar desde el ${from}`,
    shopifyUnavailable:
      "No se pudo consultar a Shopify sobre el acceso a pedidos más antiguos en este momento. Inténtalo de nuevo.",
    from: "Pagados desde (UTC)",
    to: "Pagados hasta, inclusive (UTC)",
    start: "Otorgar puntos por estos pedidos",
    started: "Procesamiento iniciado",
    cancel: "Cancelar",
    cancelled: "Procesamiento cancelado",
    notFound: "Este procesamiento no es uno de los de esta tienda.",
    progress: (done: number, total: number | null) =>
      total === null
        ? `${n(done)} ${plural(done, "pedido procesado", "pedidos procesados")}`
        : `${n(done)} de ${n(total)} pedidos procesados`,
    reading: "Leyendo los pedidos",
    read: (read: number, total: number | null) =>
      total === null
        ? `${n(read)} ${plural(read, "pedido leído", "pedidos leídos")}; los puntos se otorgan cuando se hayan leído todos`
        : `${n(read)} de ${n(total)} pedidos leídos; los puntos se otorgan cuando se hayan leído todos`,
    credited: (orders: number, points: number) =>
      `${n(orders)} ${plural(orders, "pedido acreditado", "pedidos acreditados")}, ${n(points)} ${plural(points, "punto", "puntos")}`,
    status: {
      PENDING: "Iniciando",
      QUERYING: "Shopify está leyendo los pedidos",
      PROCESSING: "Otorgando puntos",
      COMPLETED: "Completado",
      FAILED: "Fallido",
      CANCELLED: "Cancelado",
    },
    history: "Procesamientos",
    historyEmpty: "Aún no hay procesamientos. Elige arriba las fechas de los pedidos que quieres acreditar.",
    columns: { range: "Pedidos pagados", status: "Estado", orders: "Pedidos", points: "Puntos" },
  },
  onboarding: {
    title: "Primeros pasos",
    help: "Unos pocos pasos hacen que Regulars sea visible para tus clientes.",
    dismiss: "Descartar",
    unknown: "No se pudo comprobar en este momento",
    done: "Hecho",
    steps: {
      program: [
        "Activar el programa",
        "Los clientes solo ganan puntos mientras el programa está activo.",
        "Abrir el programa",
      ],
      embed: [
        "Activar el botón de recompensas",
        "La incrustación de la aplicación agrega el botón de recompensas a todas las páginas de tu tema.",
        "Activar en el editor de temas",
      ],
      block: [
        "Agregar el bloque de fidelidad",
        "El bloque de estado de fidelidad muestra los puntos y el nivel de un cliente en tu página de inicio.",
        "Agregar en el editor de temas",
      ],
      backfill: [
        "Otorgar puntos por pedidos anteriores",
        "Los clientes empiezan con los puntos que les dan sus pedidos anteriores.",
        "Procesar pedidos anteriores",
      ],
    },
  },
  notifications: {
    nav: "Notificaciones",
    title: "Notificaciones",
    intro:
      "Avisa a los clientes cuando ganan puntos, cuando una recompensa está lista, cuando sus puntos están por vencer y cuando alcanzan un nivel. Con Shopify Flow, usa los desencadenadores de Regulars (recetas en el README). Sin Flow, Regulars les envía correos por tu propio servidor SMTP.",
    smtp: "Tu servidor SMTP",
    smtpHelp:
      "Regulars envía por este servidor, desde tu dirección. Solo los clientes que aceptan el marketing por correo electrónico en Shopify reciben estos correos, y cada uno incluye un enlace para darse de baja.",
    host: "Host",
    port: "Puerto",
    secure: "Usar TLS",
    secureHelp: "Puerto 465: TLS desde el inicio. Otros puertos: se exige STARTTLS.",
    username: "Nombre de usuario",
    password: "Contraseña",
    passwordSaved: "Hay una contraseña guardada. Déjalo vacío para conservarla.",
    passwordStored: "Se guarda cifrada.",
    from: "Dirección del remitente",
    defaultLocale: "Idioma cuando se desconoce el del cliente",
    defaultLocaleHelp:
      "Usa el idioma principal de tu tienda. Los clientes cuyo idioma conoce Shopify reciben el suyo.",
    locales: { en: "Inglés", fr: "Francés", de: "Alemán", es: "Español" },
    events: "Correos que se envían",
    eventsHelp: "Cada correo se envía una vez por evento, después de registrar los puntos.",
    eventNames: {
      pointsEarned: "Puntos ganados",
      rewardReady: "Recompensa lista para usar",
      pointsExpiring: "Puntos a punto de vencer",
      tierReached: "Nivel alcanzado",
    },
    eventHelp: {
      pointsEarned: "Tras un pedido pagado o una bonificación.",
      rewardReady: "Con el código de descuento, cuando se crea.",
      pointsExpiring: "Antes de que venza el saldo (cuando los puntos del programa vencen).",
      tierReached: "Cuando un cliente sube a un nivel.",
    },
    expiryWarningDays: "Días antes del vencimiento para avisar",
    expiryWarningDaysHelp:
      "El mismo ajuste que el aviso de vencimiento del programa y el desencadenador de Flow.",
    save: "Guardar",
    saved: "Ajustes de notificaciones guardados",
    sendTest: "Enviar correo de prueba",
    testSent: (to: string) => `Correo de prueba enviado a ${to}`,
    testFailed: (reason: string) => `No se pudo enviar el correo de prueba: ${reason}`,
    fixErrors: "Hay que corregir algunos ajustes; no se guardó nada",
    preview: "Vista previa",
    previewHelp: "El correo tal como lo recibe un cliente, con datos de ejemplo.",
    previewEvent: "Correo",
    previewLocale: "Idioma",
    previewSubject: (subject: string) => `Asunto: ${subject}`,
    previewFrame: "Vista previa del correo",
    recent: "Correos recientes",
    recentEmpty: "Aún no hay correos.",
    columns: { event: "Correo", to: "Para", status: "Estado", detail: "Cuándo o por qué" },
    status: { pending: "En espera", sent: "Enviado", skipped: "No enviado" },
    reasons: {
      "no-consent": "Sin consentimiento de marketing por correo electrónico",
      unsubscribed: "Dado de baja",
      "no-address": "Sin dirección de correo electrónico",
      off: "Correo desactivado para este evento",
      "not-a-step-up": "No es una subida a un nivel superior",
      "no-event": "Se eliminó el evento",
    },
    errors: {
      host: "Escribe el nombre de host del servidor SMTP, como smtp.example.com",
      port: "Escribe un puerto de 1 a 65535 (suele ser 465 o 587)",
      username: "El nombre de usuario es demasiado largo",
      password: "Escribe la contraseña de este nombre de usuario",
      passwordLength: "La contraseña es demasiado larga",
      from: "Escribe una sola dirección de correo electrónico, como rewards@example.com",
      locale: (list: string) => `Elige una de estas: ${list}`,
      days: "Escribe un número de días de 1 a 90",
    },
  },
};
