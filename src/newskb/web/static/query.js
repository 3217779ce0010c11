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

  // an IRI is shown by its label: the row's ?xLabel beside ?x when the query has one, else one
  // looked up at the endpoint after the table is shown; the IRI itself stays in the link's title
  function cell(term, label) {
    const td = document.createElement("td");
    if (!term) return td;
    if (term.type === "uri") {
      const a = document.createElement("a");
      a.href = localHref(term.value);
      a.title = term.value;
      a.textContent = label || shortName(term.value);
      if (!label) a.dataset.iri = term.value;
      td.appendChild(a);
    } else {
      td.textContent = term.value;
    }
    return td;
  }

  const PREFIXES = {"https://w3id.org/newskb/ontology#": "nkb:", "https://schema.org/": "schema:",
                    "http://www.w3.org/ns/prov#": "prov:", "http://www.w3.org/2002/07/owl#": "owl:"};
  function shortName(iri) {
    for (const ns in PREFIXES) if (iri.startsWith(ns)) return PREFIXES[ns] + iri.slice(ns.length);
    return iri;
  }

  function sparqlIri(iri) { return "<" + iri.replace(/[<>"{}|^`\\\s]/g, encodeURIComponent) + ">"; }

  async function addLabels(table) {
    if (!endpoint) return;
    const links = Array.from(table.querySelectorAll("a[data-iri]"));
    const iris = Array.from(new Set(links.map(function (a) { return a.dataset.iri; }))).slice(0, 500);
    if (!iris.length) return;
    const q = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nSELECT ?s (MIN(?l) AS ?label) WHERE { VALUES ?s { " +
              iris.map(sparqlIri).join(" ") + " } ?s rdfs:label ?l } GROUP BY ?s";
    try {
      const resp = await fetch(endpoint, {method: "POST", body: q,
        headers: {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"}});
      if (!resp.ok) return;
      const labels = {};
      (await resp.json()).results.bindings.forEach(function (b) { labels[b.s.value] = b.label.value; });
      links.forEach(function (a) { if (labels[a.dataset.iri]) a.textContent = labels[a.dataset.iri]; });
    } catch (e) { /* the IRIs stay as they are */ }
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
      vars.forEach(function (v) {
        const lab = b[v + "Label"];
        r.appendChild(cell(b[v], lab && lab.type === "literal" ? lab.value : null));
      });
      tbody.appendChild(r);
    });
    table.appendChild(tbody);
    out.appendChild(p); out.appendChild(table);
    addLabels(table);
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
