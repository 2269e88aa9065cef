// Makes the build-time SVG charts interactive (tooltips) with vega-embed. Without JavaScript, or
// if anything here fails, the static charts stay as they are. Runs under a CSP without eval: Vega
// evaluates expressions with its interpreter instead of generated functions.
(() => {
  if (!window.vega || !window.vegaEmbed || !window.vegaInterpreter) return;
  var views = document.querySelectorAll("[data-chart]");
  Array.prototype.forEach.call(views, (el) => {
    var source = document.getElementById(el.getAttribute("data-chart"));
    if (!source) return;
    var spec;
    try {
      spec = JSON.parse(source.textContent);
    } catch (_error) {
      return;
    }
    var holder = document.createElement("div");
    holder.className = "chart-live";
    // Like the static chart: screen readers hear the figure as one image named by its caption.
    holder.setAttribute("aria-hidden", "true");
    // In the page (hidden) while it is drawn, so the chart can take the width of its container.
    el.appendChild(holder);
    window
      .vegaEmbed(holder, spec, {
        mode: "vega",
        renderer: "svg",
        actions: false,
        ast: true,
        expr: window.vegaInterpreter.expressionInterpreter,
      })
      .then(() => {
        el.replaceChildren(holder);
        el.classList.add("is-live");
      })
      .catch(() => {
        holder.remove(); // keep the static chart
      });
  });
})();

// The embed codes: one click or tab into the box selects the whole code, ready to copy.
(() => {
  Array.prototype.forEach.call(document.querySelectorAll(".embed-code"), (box) => {
    box.addEventListener("focus", () => box.select());
  });
})();
