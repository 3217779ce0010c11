// The query page: pick a saved query, run it against the endpoint, show a table.
// Without a SPARQL endpoint (the static site), a saved query shows its stored results.
(function () {
  "use strict";
  const form = document.getElementById("query-form");
  if (!form) return;
  const saved = JSON.parse(document.getElementById("saved-queries").textContent);
  const pick = document.getElementById("saved");
  const text = document.getElementById("sparql");
  const status = document.getElementById("status");
  const out = document.getElementById("results");
  const endpoint = form.dataset.endpoint;

  pick.addEventListener("change", function () {
    if (saved[pick.value]) text.value = saved[pick.value];
  });
  text.addEventListener("input", function () {
    if (saved[pick.value] !== text.value) pick.value = "";
  });

  // an IRI of this KB (or of its ontology) links to its page here; others link out
  function localHref(iri) {
    const base = form.dataset.base, root = form.dataset.root;
    if (!base || !iri.startsWith(base)) return iri;
    const rest = iri.slice(base.length);
    if (rest === "ontology" || rest.startsWith("ontology#")) return root + "ontology.html" + rest.slice(8);
    return root + rest + ".html";
  }

  function cell(term) {
    const td = document.createElement("td");
    if (!term) return td;
    if (term.type === "uri") {
      const a = document.createElement("a");
      a.href = localHref(term.value);
      a.textContent = term.value; td.appendChild(a);
    } else {
      td.textContent = term.value;
    }
    return td;
  }

  function show(data) {
    out.textContent = "";
    if (typeof data.boolean === "boolean") {
      const p = document.createElement("p"); p.className = "count"; p.textContent = "Answer: " + data.boolean;
      out.appendChild(p); return;
    }
    const vars = data.head.vars, rows = data.results.bindings;
    const p = document.createElement("p"); p.className = "count"; p.textContent = rows.length + " rows";
    const table = document.createElement("table"); table.className = "list";
    const tr = document.createElement("tr");
    vars.forEach(function (v) { const th = document.createElement("th"); th.textContent = v; tr.appendChild(th); });
    const thead = document.createElement("thead"); thead.appendChild(tr); table.appendChild(thead);
    const tbody = document.createElement("tbody");
    rows.forEach(function (b) {
      const r = document.createElement("tr");
      vars.forEach(function (v) { r.appendChild(cell(b[v])); });
      tbody.appendChild(r);
    });
    table.appendChild(tbody);
    out.appendChild(p); out.appendChild(table);
  }

  function fail(msg) {
    out.textContent = "";
    const p = document.createElement("p"); p.className = "error"; p.textContent = msg; out.appendChild(p);
  }

  form.addEventListener("submit", async function (ev) {
    ev.preventDefault();
    status.textContent = "running…";
    const t0 = performance.now();
    try {
      let resp;
      if (endpoint) {
        resp = await fetch(endpoint, {
          method: "POST",
          headers: {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
          body: text.value
        });
      } else {
        const name = Object.keys(saved).find(function (k) { return saved[k] === text.value; });
        if (!name) { status.textContent = ""; fail("This static copy has no SPARQL endpoint: pick a saved query, or run newskb serve."); return; }
        resp = await fetch(form.dataset.results + name + ".json");
      }
      const body = await resp.text();
      if (!resp.ok) { status.textContent = ""; fail(body); return; }
      show(JSON.parse(body));
      status.textContent = "done in " + Math.round(performance.now() - t0) + " ms";
    } catch (e) {
      status.textContent = ""; fail("The query could not run: " + e);
    }
  });
})();
