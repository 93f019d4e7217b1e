// Regulars storefront: open/close the launcher, redeem through the app proxy,
// copy codes. Everything shown is already rendered by Liquid; this only acts.
// Liquid gives it (snippets/regulars-data.liquid) where the proxy is on this
// shop, under the page's locale prefix, and the words for each refusal code
// the app answers, in the page's language.
(() => {
  if (window.__regulars) return;
  window.__regulars = 1;
  const root = document.documentElement;
  const t = (el, key) => el.closest("[data-regulars]")?.dataset[key] || "";

  document.addEventListener("click", async (event) => {
    const target = event.target.closest("button");
    if (!target) return;
    const launcher = target.closest(".regulars-launcher");
    if (launcher && target.classList.contains("regulars-launcher__button")) {
      const panel = launcher.querySelector(".regulars-launcher__panel");
      const open = panel.hidden;
      panel.hidden = !open;
      target.setAttribute("aria-expanded", String(open));
      if (open) panel.querySelector("button, a")?.focus();
      return;
    }
    if (target.dataset.regularsCopy) {
      await navigator.clipboard?.writeText(target.dataset.regularsCopy);
      target.textContent = t(target, "copied") || "Copied";
      return;
    }
    const reward = target.dataset.regularsRedeem;
    if (!reward) return;
    const box = target.closest("[data-regulars]");
    const message = box.querySelector("[data-regulars-message]");
    target.disabled = true;
    target.dataset.key ||= (crypto.randomUUID?.() || String(Date.now()) + Math.random()).replace(
      /[^\w-]/g,
      "",
    );
    try {
      const response = await fetch(`${box.dataset.proxy}/redeem`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ rewardKey: reward, idempotencyKey: target.dataset.key }),
      });
      const body = await response.json();
      if (!body.code) {
        // Accepted without a code: it is on its way (the same key asks again later).
        // Refused: the app says why with a code, worded here in the page's language.
        const pending = response.ok && !body.error;
        message.textContent = pending
          ? t(target, "pending") || "Your code is on its way."
          : box.getAttribute(`data-error-${body.error}`) || t(target, "failed");
        target.disabled = pending;
        return;
      }
      message.textContent = `${t(target, "issued") || "Your code:"} ${body.code}`;
      const list = box.querySelector("[data-regulars-codes]");
      const item = document.createElement("p");
      const code = document.createElement("code");
      code.textContent = body.code;
      item.append(code);
      list.prepend(item);
    } catch {
      message.textContent = t(target, "failed") || "Something went wrong. Try again.";
      target.disabled = false;
    }
  });

  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    for (const panel of root.querySelectorAll(".regulars-launcher__panel:not([hidden])")) {
      panel.hidden = true;
      const button = panel.parentElement.querySelector(".regulars-launcher__button");
      button.setAttribute("aria-expanded", "false");
      button.focus();
    }
  });
})();
