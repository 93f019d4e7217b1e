// Regulars storefront (docs/storefront.md, "The theme's script"): the launcher, redeeming through
// the app proxy, the amount pickers, copying codes; a redemption's answer rewrites the page.
(() => {
  if (window.__regulars) return;
  window.__regulars = 1;
  const root = document.documentElement;
  const t = (el, key) => el.closest("[data-regulars]")?.dataset[key] || "";
  const fill = (template, values) => template.replace(/\{(\w)\}/g, (_, key) => values[key] ?? "");
  const make = (tag, className, text) => {
    const el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined) el.textContent = text;
    return el;
  };

  // Numbers as Liquid writes them (snippets/regulars-number.liquid), words by plural rule.
  const number = (box, n) =>
    (n < 0 ? "\u2212" : "") + String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, box.dataset.thousands);
  const counted = (box, key, n) => {
    const rule = new Intl.PluralRules(box.dataset.locale || undefined).select(n);
    return fill(box.dataset[key + (rule === "one" ? "One" : "Other")] || "{n}", { n: number(box, n) });
  };
  const money = (box, cents) => {
    try {
      return new Intl.NumberFormat(box.dataset.locale || undefined, {
        style: "currency",
        currency: box.dataset.currency,
      }).format(cents / 100);
    } catch {
      return (cents / 100).toFixed(2) + " " + box.dataset.currency;
    }
  };

  // "Spend any amount": the picker's points and worth, or its limits (the app checks them again).
  const limits = (box, s, a, b) =>
    fill(box.getAttribute("data-error-amount_not_allowed"), {
      s: number(box, s),
      a: number(box, a),
      b: number(box, b),
    });
  const pick = (item, balance, move) => {
    const input = item.querySelector("[data-regulars-amount]");
    const { step, min, max, stepCents } = item.dataset;
    if (balance !== undefined) {
      input.max = Math.min(max, balance - (balance % step));
      if (+input.value > +input.max) input.value = input.max;
    }
    if (move) input[move > 0 ? "stepUp" : "stepDown"]();
    const ok = input.validity.valid;
    const box = item.closest("[data-regulars]");
    input.setAttribute("aria-invalid", !ok);
    item.querySelector("[data-regulars-worth]").textContent = ok
      ? fill(box.dataset.worth, { r: money(box, (input.value / step) * stepCents) })
      : limits(box, step, min, input.max);
  };

  const close = (panel) => {
    panel.hidden = true;
    const button = panel.parentElement.querySelector(".regulars-launcher__button");
    button.setAttribute("aria-expanded", "false");
    button.focus();
  };

  function update(member) {
    for (const el of root.querySelectorAll("[data-regulars-points]")) {
      el.textContent = counted(el.closest("[data-regulars]"), "points", member.points);
    }
    for (const box of root.querySelectorAll("[data-regulars]")) {
      for (const item of box.querySelectorAll("[data-regulars-reward]")) {
        const short = Number(item.dataset.cost) - member.points;
        const button = item.querySelector("[data-regulars-redeem]");
        const more = item.querySelector("[data-regulars-more]");
        if (!button || !more) continue;
        button.hidden = short > 0;
        more.hidden = short <= 0;
        more.textContent = counted(box, "more", short);
        const picker = item.querySelector("[data-regulars-picker]");
        if (picker) {
          picker.hidden = short > 0;
          pick(item, member.points);
        }
      }
      const progress = box.querySelector("[data-regulars-progress]");
      if (progress) {
        const next = member.nextTier;
        progress.hidden = !next;
        if (next) {
          const remaining =
            next.amount == null
              ? next.remaining
              : box.dataset.basis === "SPEND"
                ? money(box, next.amount)
                : number(box, next.amount);
          const text = fill(box.dataset.progress, { r: remaining, t: next.name });
          progress.querySelector("[data-regulars-progress-text]").textContent = text;
          const bar = progress.querySelector("[role=progressbar]");
          bar.setAttribute("aria-label", text);
          bar.setAttribute("aria-valuenow", next.percent);
          bar.firstElementChild.style.width = next.percent + "%";
        }
      }
      const codes = box.querySelector("[data-regulars-codes]");
      if (codes) {
        codes.replaceChildren();
        if (member.codes.length) {
          const list = make("ul", "regulars__list");
          for (const code of member.codes) {
            const item = make("li", "regulars__code");
            const text = make("span", "regulars__reward-text");
            const details = `${code.title}, ${fill(box.dataset.expires, { d: code.endsAt.slice(0, 10) })}`;
            text.append(make("code", "", code.code), make("span", "regulars__muted", details));
            const copy = make("button", "regulars__button regulars__button--quiet", box.dataset.copy);
            copy.type = "button";
            copy.dataset.regularsCopy = code.code;
            copy.setAttribute("aria-label", fill(box.dataset.copyLabel, { c: code.code }));
            item.append(text, copy);
            list.append(item);
          }
          codes.append(make("h3", "regulars__subtitle", box.dataset.codes), list);
        }
      }
      const history = box.querySelector("[data-regulars-history]");
      if (history && member.history) {
        history.closest("[data-regulars-history-box]").hidden = member.history.length === 0;
        history.replaceChildren(
          ...member.history.map((entry) => {
            const item = make("li");
            const kind = entry.kind.toLowerCase();
            const order = entry.orderName && box.getAttribute(`data-order-${kind}`);
            const label = make(
              "span",
              "",
              `${order ? fill(order, { o: entry.orderName }) : box.getAttribute(`data-kind-${kind}`)} `,
            );
            label.append(make("span", "regulars__muted", entry.at.slice(0, 10)));
            item.append(label, make("strong", "", (entry.points > 0 ? "+" : "") + number(box, entry.points)));
            return item;
          }),
        );
      }
    }
  }

  document.addEventListener("click", async (event) => {
    // A social follow: the link opens (the browser's default); a member's points are claimed once.
    const follow = event.target.closest("a[data-regulars-follow]");
    if (follow) {
      const box = follow.closest("[data-regulars]");
      const message = box.querySelector("[data-regulars-message]");
      try {
        const response = await fetch(`${box.dataset.proxy}/actions/follow`, {
          method: "POST",
          headers: { "Content-Type": "application/json", Accept: "application/json" },
          body: JSON.stringify({ rule: follow.dataset.regularsFollow }),
        });
        const body = await response.json();
        if (message)
          message.textContent = body.error
            ? box.getAttribute(`data-error-${body.error}`) || t(follow, "failed")
            : body.status === "awarded"
              ? fill(t(follow, "followed"), { n: number(box, body.points) })
              : t(follow, "followedBefore");
        if (body.status === "awarded")
          for (const el of root.querySelectorAll("[data-regulars-points]"))
            el.textContent = counted(el.closest("[data-regulars]"), "points", body.balance);
      } catch {
        if (message) message.textContent = t(follow, "failed");
      }
      return;
    }
    const target = event.target.closest("button");
    if (!target) return;
    const launcher = target.closest(".regulars-launcher");
    if (launcher && target.classList.contains("regulars-launcher__button")) {
      const panel = launcher.querySelector(".regulars-launcher__panel");
      if (!panel.hidden) return close(panel);
      panel.hidden = false;
      target.setAttribute("aria-expanded", "true");
      panel.querySelector("[data-regulars-close]")?.focus();
      return;
    }
    if (target.hasAttribute("data-regulars-close")) return close(target.closest(".regulars-launcher__panel"));
    if (target.dataset.regularsStep)
      return pick(target.closest("[data-regulars-reward]"), undefined, +target.dataset.regularsStep);
    if (target.dataset.regularsCopy) {
      await navigator.clipboard?.writeText(target.dataset.regularsCopy).catch(() => {});
      target.textContent = t(target, "copied") || "Copied";
      return;
    }
    const reward = target.dataset.regularsRedeem;
    if (!reward) return;
    const box = target.closest("[data-regulars]");
    const message = box.querySelector("[data-regulars-message]");
    const amount = target.closest("[data-regulars-reward]")?.querySelector("[data-regulars-amount]");
    target.disabled = true;
    target.dataset.key ||= (crypto.randomUUID?.() || String(Date.now()) + Math.random()).replace(
      /[^\w-]/g,
      "",
    );
    try {
      const response = await fetch(`${box.dataset.proxy}/redeem`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({
          rewardKey: reward,
          idempotencyKey: target.dataset.key,
          ...(amount && { points: Number(amount.value) }),
        }),
      });
      const body = await response.json();
      if (body.status === "credited") {
        // Store credit: no code.
        delete target.dataset.key;
        target.disabled = false;
        if (body.member) update(body.member);
        message.textContent = t(target, "credited") || "Added to your store credit.";
        return;
      }
      if (!body.code) {
        // No code: on its way (same key later), or refused (a code worded in the page's language).
        const pending = response.ok && !body.error;
        message.textContent = pending
          ? t(target, "pending") || "Your code is on its way."
          : body.step
            ? limits(box, body.step, body.minPoints, body.maxPoints)
            : box.getAttribute(`data-error-${body.error}`) || t(target, "failed");
        if (pending && body.member) update(body.member);
        target.disabled = pending;
        return;
      }
      // Done: the next click is a new redemption, with a new key.
      delete target.dataset.key;
      target.disabled = false;
      if (body.member) update(body.member);
      message.textContent = `${t(target, "issued") || "Your code:"} ${body.code}`;
    } catch {
      message.textContent = t(target, "failed") || "Something went wrong. Try again.";
      target.disabled = false;
    }
  });

  document.addEventListener("input", (event) => {
    if (event.target.matches?.("[data-regulars-amount]"))
      pick(event.target.closest("[data-regulars-reward]"));
  });

  // Bonus events (snippets/regulars-status.liquid): shown from their start to their end by this
  // clock, with their last day (the instant before the end) in the page's language; checked
  // again each minute, so one that starts or ends while the page is open follows.
  const events = () => {
    const now = Date.now();
    for (const el of root.querySelectorAll("[data-regulars-event]")) {
      const end = Date.parse(el.dataset.ends);
      el.hidden = !(Date.parse(el.dataset.starts) <= now && now < end);
      if (el.hidden) continue;
      const locale = el.closest("[data-regulars]")?.dataset.locale || undefined;
      const day = { weekday: "long", day: "numeric", month: "long" };
      // The Liquid wrote the text (with {d} for the day) in the element: kept as it was first read.
      el.dataset.text ??= el.textContent;
      el.textContent = fill(el.dataset.text, { d: new Date(end - 1).toLocaleDateString(locale, day) });
    }
  };
  events();
  window.setInterval(events, 60_000);

  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    for (const panel of root.querySelectorAll(".regulars-launcher__panel:not([hidden])")) close(panel);
  });
})();
