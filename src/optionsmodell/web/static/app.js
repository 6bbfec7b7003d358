// optionsmodell web page: plain JavaScript, no build step, no library.
// Every text that comes from the server is inserted as text (never as HTML).
"use strict";
(() => {
  const I18N = {
    de: {
      subtitle: "§ 27 GO NRW: Integrationsrat und Integrationsausschuss",
      share: "Link kopieren", download: "YAML herunterladen", scenario: "Beispiel", regime: "Rechtsstand",
      date: "Stichtag (date)", numbers: "Die wichtigsten Zahlen", foreign_residents: "Ausländische Einwohner",
      applicants: "Antragsteller", body: "Gremium", seats: "Sitze", filled: "besetzt",
      g_directly_elected: "direkt gewählt", g_council_members: "Ratsmitglieder", g_sachkundige_buerger: "sachkundige Bürger",
      g_sachkundige_einwohner: "sachkundige Einwohner", g_advisory: "beratend", chair: "Vorsitz", unknown: "— nicht angegeben —",
      mayor: "Bürgermeister/in", powers: "Befugnisse", powers_none: "keine ([])", powers_advisory: "beratend",
      powers_decision: "mit Entscheidungsbefugnis", powers_other: "(im Text festgelegt)", beratungsfolge: "in der Beratungsfolge",
      yes: "ja", no: "nein", yaml: "Konfiguration (YAML)", tab_check: "Prüfung", tab_compare: "Vergleich",
      tab_timeline: "Zeitachse", tab_sweep: "Verlauf", tab_elect: "Wahl", show_all: "auch erfüllte Prüfungen zeigen",
      run: "Vergleichen", timeline_hint: "Dieselbe Konfiguration unter jeder Fassung des Gesetzes ihres Landes, nach Datum.",
      field: "Feld", from: "von", to: "bis", run_sweep: "Zeichnen", election_example: "Beispielwahl", el_seats: "Sitze",
      el_name: "Liste / Bewerber", el_kind: "Art", el_votes: "Stimmen", el_persons: "Personen auf der Liste",
      el_add: "+ Wahlvorschlag", el_majority: "Mehrheitsklausel (§ 33 Abs. 4 KWahlG)", el_lots: "Los gezogen für",
      el_run: "Sitze verteilen",
      footer: "Läuft lokal; nichts verlässt diesen Rechner. Jeder Befund zitiert den Gesetzeswortlaut mit seiner Verlässlichkeit.",
      blank: "Leere Vorlage", choose: "— wählen —", regime_auto: "automatisch: in Kraft am Stichtag",
      checking: "prüfe …", checked: "geprüft", copied: "Link kopiert", edited: "geändert",
      verdict_compliant: "RECHTMÄSSIG", verdict_violations: "VERSTÖSSE", verdict_undetermined: "NICHT ENTSCHEIDBAR",
      counts: "{v} Verstöße, {w} Warnungen, {u} unentschieden, {s} erfüllt",
      o_violated: "Verstoß", o_warning: "Warnung", o_info: "Hinweis", o_undetermined: "unentschieden", o_satisfied: "erfüllt",
      o_not_applicable: "nicht anwendbar", o_likely_violated: "wahrscheinlicher Verstoß (Wortlaut nicht verifiziert)",
      likely: "{n} wahrscheinliche Verstöße (Wortlaut nicht verifiziert)", statute: "Gesetz", facts: "Tatsachen", missing: "Es fehlen", derivation: "Herleitung",
      decided: "Entscheidend", interpretation: "Auslegung", alternative: "Andere Lesart", fix: "Abhilfe", apply: "anwenden",
      also: "auch", engine: "Engine", judged_at: "Prüfdatum", none: "Keine Befunde.", line: "Zeile", column: "Spalte",
      error_head: "Die Eingabe ist fehlerhaft", error_word: "Fehler", verdict: "Ergebnis", obligation: "Pflicht", requirement: "Prüfung",
      ob_mandatory: "Pflicht", ob_on_application: "Pflicht auf Antrag", ob_voluntary: "freiwillig", ob_none: "keine Pflicht",
      ob_undetermined: "offen", ob_open: "offen (zwei Lesarten)",
      strict: "unverifizierter Wortlaut zählt als Verstoß (--strict)", in_force: "in Kraft", violated_list: "Verstöße / Warnungen", undetermined_n: "unentschieden",
      select_other: "Bitte zwei verschiedene Regelwerke wählen.", no_change: "Keine Änderung im Bereich.",
      change_at: "Änderung bei", el_entitled: "Anspruch", el_filled: "besetzt", el_vacant: "Unbesetzte Sitze",
      el_tie: "Losentscheid: {n} Sitz(e) zwischen {names}", el_tie_loss: "Losentscheid (§ 33 Abs. 4): wer einen Sitz abgibt: {names}",
      el_draw: "Los fällt auf {name}", el_into: "In die Konfiguration übernehmen", el_into_body: "Gremium",
      el_list: "Liste", el_single: "Einzelbewerber", remove: "entfernen", el_majority_applied: "§ 33 Abs. 4 KWahlG angewandt.",
      el_into_done: "übernommen", el_enough: "genug", check_this: "prüfen", proposal: "Entwurf", enacted: "in Kraft",
      sweep_hint: "Wo sich das Ergebnis entlang des Bereichs ändert; gestrichelte Linien markieren die Änderungspunkte.",
      current: "jetzt", source: "Quelle", add_body: "+ Gremium hinzufügen", engine_auto: "Standard", no_bodies: "Die Konfiguration hat kein Gremium.", caveat: "Vorbehalt",
    },
    en: {
      subtitle: "§ 27 GO NRW: Integrationsrat and Integrationsausschuss",
      share: "Copy link", download: "Download YAML", scenario: "Example", regime: "Regime",
      date: "Date (date)", numbers: "The main numbers", foreign_residents: "Foreign residents",
      applicants: "Applicants", body: "Body", seats: "Seats", filled: "filled",
      g_directly_elected: "directly elected", g_council_members: "council members", g_sachkundige_buerger: "sachkundige Bürger",
      g_sachkundige_einwohner: "sachkundige Einwohner", g_advisory: "advisory", chair: "Chair", unknown: "— not given —",
      mayor: "mayor", powers: "Powers", powers_none: "none ([])", powers_advisory: "advisory",
      powers_decision: "with decision power", powers_other: "(set in the text)", beratungsfolge: "in the Beratungsfolge",
      yes: "yes", no: "no", yaml: "Configuration (YAML)", tab_check: "Check", tab_compare: "Compare",
      tab_timeline: "Timeline", tab_sweep: "Sweep", tab_elect: "Election", show_all: "show satisfied checks too",
      run: "Compare", timeline_hint: "The same configuration under every version of its Land's law, in date order.",
      field: "Field", from: "from", to: "to", run_sweep: "Draw", election_example: "Example election", el_seats: "Seats",
      el_name: "List / candidate", el_kind: "Kind", el_votes: "Votes", el_persons: "Persons on the list",
      el_add: "+ nomination", el_majority: "Majority clause (§ 33 Abs. 4 KWahlG)", el_lots: "Lot drawn for",
      el_run: "Allocate seats",
      footer: "Runs locally; nothing leaves this computer. Every finding quotes the statute with its reliability.",
      blank: "Blank template", choose: "— choose —", regime_auto: "automatic: in force on the date",
      checking: "checking …", checked: "checked", copied: "Link copied", edited: "changed",
      verdict_compliant: "COMPLIANT", verdict_violations: "VIOLATIONS", verdict_undetermined: "UNDETERMINED",
      counts: "{v} violations, {w} warnings, {u} undetermined, {s} satisfied",
      o_violated: "violation", o_warning: "warning", o_info: "note", o_undetermined: "undetermined", o_satisfied: "satisfied",
      o_not_applicable: "not applicable", o_likely_violated: "likely violation (text unverified)",
      likely: "{n} likely violations (text unverified)", statute: "Statute", facts: "Facts", missing: "Missing", derivation: "Derivation",
      decided: "Decided by", interpretation: "Interpretation", alternative: "Alternative reading", fix: "Fix", apply: "apply",
      also: "also", engine: "Engine", judged_at: "Judged at", none: "No findings.", line: "line", column: "column",
      error_head: "The input is not valid", error_word: "error", verdict: "Verdict", obligation: "Obligation", requirement: "Requirement",
      ob_mandatory: "mandatory", ob_on_application: "on application", ob_voluntary: "voluntary", ob_none: "no duty",
      ob_undetermined: "undetermined", ob_open: "open (two readings)",
      strict: "unverified statute text counts as a violation (--strict)", in_force: "in force", violated_list: "violations / warnings", undetermined_n: "undetermined",
      select_other: "Choose two different regimes.", no_change: "No change in the range.",
      change_at: "Change at", el_entitled: "entitled", el_filled: "filled", el_vacant: "Empty seats",
      el_tie: "Drawing of lots: {n} seat(s) among {names}", el_tie_loss: "Drawing of lots (§ 33 Abs. 4): who gives up a seat: {names}",
      el_draw: "Lot falls to {name}", el_into: "Carry into the configuration", el_into_body: "Body",
      el_list: "list", el_single: "single candidate", remove: "remove", el_majority_applied: "§ 33 Abs. 4 KWahlG applied.",
      el_into_done: "carried over", el_enough: "enough", check_this: "check", proposal: "proposal", enacted: "enacted",
      sweep_hint: "Where the outcome changes along the range; dashed lines mark the change points.",
      current: "now", source: "Source", add_body: "+ add a body", engine_auto: "default", no_bodies: "The configuration has no body.", caveat: "Caveat",
    },
  };
  const GROUPS = ["directly_elected", "council_members", "sachkundige_buerger", "sachkundige_einwohner", "advisory"];
  const LH = 18; // editor line height in px, as in style.css
  const PAD = 4;
  const POWER_MATTER = "Angelegenheiten der Integration";

  const $ = (id) => document.getElementById(id);
  const editor = $("editor");
  const state = {
    lang: "de", regime: "", tab: "check", showAll: false, strict: false, engine: "", body: 0, selected: null, config: null,
    last: null, errorLine: null, errorText: "", scenarios: [], regimes: [], election: null,
  };
  let seq = 0;
  let checkTimer = 0;
  let urlTimer = 0;

  const t = (key, vars) => {
    let s = (I18N[state.lang] && I18N[state.lang][key]) || I18N.de[key] || key;
    if (vars) for (const [k, v] of Object.entries(vars)) s = s.split(`{${k}}`).join(String(v));
    return s;
  };

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") node.className = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }

  const svgEl = (tag, attrs, text) => {
    const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    if (text !== undefined) node.textContent = String(text);
    return node;
  };

  async function api(path, body) {
    const opts = body === undefined ? {} : {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    };
    let res;
    try {
      res = await fetch(path, opts);
    } catch (e) {
      return { ok: false, status: 0, data: { error: { message: String(e), line: null, column: null } } };
    }
    let data;
    try { data = await res.json(); } catch { data = { error: { message: `HTTP ${res.status}`, line: null, column: null } }; }
    return { ok: res.ok, status: res.status, data };
  }

  const setStatus = (text) => { $("status").textContent = text; };

  // ---------------------------------------------------------------------------------- i18n

  function applyI18n() {
    document.documentElement.lang = state.lang;
    for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
    for (const node of document.querySelectorAll("[data-i18n-aria]")) node.setAttribute("aria-label", t(node.dataset.i18nAria));
    $("lang").textContent = state.lang === "de" ? "English" : "Deutsch";
    fillScenarioPicker();
    fillRegimePickers();
  }

  // ---------------------------------------------------------------------------------- editor

  function factLines(finding) {
    const lines = new Set();
    for (const loc of Object.values(finding.fact_locations || {})) {
      const parts = String(loc).split(":");
      const line = parseInt(parts[parts.length - 2], 10);
      if (!Number.isNaN(line)) lines.add(line);
    }
    return lines;
  }

  function selectedFinding() {
    if (!state.last || !state.selected) return null;
    return state.last.findings.find((f) => key(f) === state.selected) || null;
  }

  function renderEditor() {
    const count = editor.value.split("\n").length;
    const hl = selectedFinding() ? factLines(selectedFinding()) : new Set();
    const gutter = $("gutter");
    const backdrop = $("backdrop");
    gutter.replaceChildren();
    backdrop.replaceChildren();
    const gInner = el("div", { class: "inner" });
    const bInner = el("div", { class: "inner" });
    for (let i = 1; i <= count; i++) {
      const cls = i === state.errorLine ? "err" : hl.has(i) ? "hl" : null;
      gInner.append(el("div", { class: cls, "data-line": i }, String(i)));
      bInner.append(el("div", { class: cls }));
    }
    gutter.append(gInner);
    backdrop.append(bInner);
    syncScroll();
  }

  function syncScroll() {
    const y = editor.scrollTop;
    const g = $("gutter").firstChild;
    const b = $("backdrop").firstChild;
    if (g) g.style.transform = `translateY(${-y}px)`;
    if (b) b.style.transform = `translateY(${-y}px)`;
    const marker = $("error-marker");
    if (state.errorLine) {
      marker.hidden = false;
      marker.textContent = state.errorText;
      marker.style.top = `${PAD + state.errorLine * LH - y + 2}px`;
    } else {
      marker.hidden = true;
    }
  }

  function scrollToLine(line) {
    editor.scrollTop = Math.max(0, (line - 1) * LH - editor.clientHeight / 3);
    syncScroll();
  }

  function setYaml(text) {
    editor.value = text;
    renderEditor();
  }

  // ---------------------------------------------------------------------------------- check

  function scheduleCheck(delay = 350) {
    clearTimeout(checkTimer);
    setStatus(t("checking"));
    document.body.classList.add("stale");
    checkTimer = setTimeout(runCheck, delay);
  }

  async function runCheck() {
    const my = ++seq;
    const res = await api("/api/check", { yaml: editor.value, regime: state.regime || null, lang: state.lang, all: true, strict: state.strict, engine: state.engine || null });
    if (my !== seq) return; // a newer edit is on its way
    document.body.classList.remove("stale");
    if (!res.ok) {
      showError(res.data);
      setStatus("");
      saveUrl();
      return;
    }
    clearError();
    state.last = res.data;
    state.config = res.data.configuration || null;
    if (state.selected && !selectedFinding()) state.selected = null;
    fillForm();
    renderCheck();
    renderEditor();
    setStatus(`${t("checked")} ${new Date().toLocaleTimeString(state.lang)}`);
    saveUrl();
    if (state.tab === "compare") runCompare();
    if (state.tab === "timeline") runTimeline();
  }

  function errorText(err) {
    const where = err.line ? `${t("line")} ${err.line}${err.column ? `, ${t("column")} ${err.column}` : ""}: ` : "";
    return where + err.message;
  }

  function showError(data) {
    const err = (data && data.error) || { message: "?", line: null, column: null };
    state.errorLine = err.line || null;
    state.errorText = errorText(err);
    const box = $("error");
    const where = [data.file, err.line, err.column].filter((x) => x !== null && x !== undefined).join(":");
    box.replaceChildren(
      el("div", {}, el("strong", {}, t("error_head"))),
      el("div", { class: "cli" }, `${t("error_word")}: ${where}: ${err.message}`),
      err.line ? el("b", { onclick: () => scrollToLine(err.line) }, `${t("line")} ${err.line}`) : null,
    );
    box.hidden = false;
    $("verdict").replaceChildren();
    $("verdict").className = "verdict";
    $("findings").replaceChildren();
    $("form").disabled = true;
    renderEditor();
    if (err.line) scrollToLine(err.line);
  }

  function clearError() {
    state.errorLine = null;
    state.errorText = "";
    $("error").hidden = true;
    $("form").disabled = false;
  }

  const key = (f) => `${f.rule}@${f.body === null ? "" : f.body}`;

  function outcomeLabel(f) {
    if (f.outcome === "violated") return f.severity === "violation" ? t("o_violated") : t(`o_${f.severity}`);
    return t(`o_${f.outcome}`);
  }

  function badgeClass(f) {
    if (f.outcome === "violated") return f.severity === "violation" ? "b-violated" : "b-warning";
    if (f.outcome === "undetermined") return "b-undetermined";
    if (f.outcome === "likely_violated") return "b-warning";
    if (f.outcome === "satisfied") return "b-satisfied";
    return "b-other";
  }

  function verdictLabel(v) {
    const k = `verdict_${v}`;
    return t(k) === k ? String(v).toUpperCase() : t(k);
  }

  function renderCheck() {
    const d = state.last;
    if (!d) return;
    const s = d.summary || {};
    const v = $("verdict");
    v.className = `verdict v-${d.verdict}`;
    v.replaceChildren(
      el("span", { id: "verdict-label", "data-verdict": d.verdict }, `${t("verdict")}: ${verdictLabel(d.verdict)}`),
      el("small", {}, t("counts", { v: s.violations ?? 0, w: s.warnings ?? 0, u: s.undetermined ?? 0, s: s.satisfied ?? 0 })
        + (s.likely_violations ? `; ${t("likely", { n: s.likely_violations })}` : "")),
      el("small", {}, `${d.municipality} — ${d.regime.id}: ${d.regime.title} (${t(d.regime.status)}) — ${t("judged_at")} ${d.date} — ${t("engine")}: ${d.engine}`),
    );
    const list = $("findings");
    list.replaceChildren();
    const shown = d.findings.filter((f) => state.showAll || (f.outcome !== "satisfied" && f.outcome !== "not_applicable"));
    if (!shown.length) list.append(el("p", { class: "hint" }, t("none")));
    for (const f of shown) list.append(findingCard(f));
  }

  function findingCard(f) {
    const k = key(f);
    const card = el("article", {
      class: `finding o-${f.outcome} s-${f.severity}${state.selected === k ? " selected" : ""}`,
      "data-rule": f.rule, "data-outcome": f.outcome, tabindex: 0, role: "button", "aria-expanded": state.selected === k,
      onkeydown: (e) => { if ((e.key === "Enter" || e.key === " ") && e.target === e.currentTarget) { e.preventDefault(); e.currentTarget.click(); } },
      onclick: () => {
        state.selected = state.selected === k ? null : k;
        renderCheck();
        renderEditor();
        const lines = [...factLines(f)].sort((a, b) => a - b);
        if (state.selected && lines.length) scrollToLine(lines[0]);
      },
    });
    card.append(el("div", { class: "head" },
      el("span", { class: `badge ${badgeClass(f)}` }, outcomeLabel(f)),
      el("span", { class: "cite" }, f.citation.label),
      el("span", { class: "rid" }, `[${f.rule}]`),
      f.body !== null ? el("span", { class: "rid" }, `${t("body")} ${f.body + 1}: ${f.body_name || ""}`) : null,
    ));
    card.append(el("div", { class: "title" }, f.title));
    card.append(el("div", { class: "msg" }, f.message));
    if (f.caveat) card.append(el("div", { class: "caveat" }, `⚠ ${f.caveat}`));
    const det = el("div", { class: "details" });
    det.append(el("h4", {}, t("statute")));
    det.append(el("blockquote", { class: "statute" },
      el("span", { class: `rel rel-${f.reliability}`, title: f.reliability_text || "" }, f.reliability),
      el("span", { class: "reltext" }, f.reliability_text ? `${f.reliability_text}: ` : ""),
      `„${f.statute_text}“`));
    if (f.statute_source) det.append(el("div", { class: "hint source" }, `${t("source")}: ${f.statute_source}`));
    if (f.also && f.also.length) det.append(el("div", { class: "hint" }, `(${t("also")}: ${f.also.join("; ")})`));
    const facts = Object.entries(f.facts || {});
    if (facts.length) {
      det.append(el("h4", {}, t("facts")));
      const tbl = el("table", { class: "facts" });
      for (const [name, value] of facts) {
        const loc = (f.fact_locations || {})[name];
        const parts = loc ? String(loc).split(":") : [];
        const line = parts.length >= 3 ? parseInt(parts[parts.length - 2], 10) : null;
        tbl.append(el("tr", {},
          el("td", {}, name), el("td", {}, JSON.stringify(value)),
          el("td", {}, line ? el("a", { onclick: (e) => { e.stopPropagation(); scrollToLine(line); } }, `${t("line")} ${line}`) : ""),
        ));
      }
      det.append(tbl);
    }
    if (f.missing_facts && f.missing_facts.length) {
      det.append(el("h4", {}, t("missing")));
      det.append(el("ul", {}, f.missing_facts.map((m) => el("li", {}, m))));
    }
    if (f.derivation && f.derivation.length) {
      det.append(el("h4", {}, t("derivation")));
      det.append(el("ol", {}, f.derivation.map((m) => el("li", {}, m))));
    }
    if (f.decided_by && f.decided_by.length && f.outcome !== "undetermined") {
      det.append(el("h4", {}, t("decided")));
      det.append(el("ul", {}, f.decided_by.map((m) => el("li", {}, m))));
    }
    if (f.interpretation) {
      det.append(el("h4", {}, t("interpretation")));
      det.append(el("div", { class: "interp" },
        el("div", {}, f.interpretation.reading),
        el("div", {}, el("em", {}, `${t("alternative")}: `), f.interpretation.alternative)));
    }
    card.append(det);
    if (f.fix) {
      const fix = el("div", { class: "fix" }, el("strong", {}, `${t("fix")}: `), f.fix);
      const actions = (f.fix_actions || []).map((a) => el("button", {
        type: "button", class: "fix-action", "data-path": a.path, title: `${t("apply")}: ${a.label}`,
        onclick: (e) => { e.stopPropagation(); applyEdits([{ path: a.path, value: a.value }]); },
      }, `${t("apply")}: ${a.path} = ${JSON.stringify(a.value)}`));
      if (actions.length) fix.append(el("div", { class: "fixes" }, actions));
      card.append(fix);
    }
    return card;
  }

  async function applyEdits(set) {
    const res = await api("/api/edit", { yaml: editor.value, set, lang: state.lang });
    if (!res.ok) { showError(res.data); return false; }
    setYaml(res.data.yaml);
    setStatus(t("edited"));
    scheduleCheck(0);
    return true;
  }

  // ---------------------------------------------------------------------------------- form

  function fillForm() {
    const c = state.config;
    if (!c) return;
    const active = document.activeElement;
    const put = (id, value) => { const node = $(id); if (node !== active) node.value = value === undefined || value === null ? "" : String(value); };
    put("f-foreign_residents", c.municipality.foreign_residents);
    put("f-applicants", c.municipality.applicants);
    if ($("date") !== active) $("date").value = c.date || "";
    const bodies = c.bodies || [];
    if (state.body >= bodies.length) state.body = 0;
    const sel = $("f-body");
    sel.replaceChildren(...bodies.map((b, i) => el("option", { value: i }, `${i + 1}: ${b.name || b.kind}`)));
    if (!bodies.length) sel.append(el("option", { value: "" }, t("no_bodies")));
    sel.value = String(state.body);
    const b = bodies[state.body];
    for (const node of document.querySelectorAll("#form [data-body]")) node.disabled = !b;
    if (!b) return;
    for (const g of GROUPS) {
      put(`f-seats-${g}`, b.seats ? b.seats[g] : "");
      put(`f-filled-${g}`, b.filled ? b.filled[g] : "");
    }
    put("f-chair", b.chair || "");
    put("f-beratungsfolge", b.in_deliberation_sequence === undefined ? "" : String(b.in_deliberation_sequence));
    let powers = "";
    if (Array.isArray(b.powers)) {
      if (!b.powers.length) powers = "none";
      else if (b.powers.length === 1 && b.powers[0].kind === "advisory" && b.powers[0].matter === POWER_MATTER) powers = "advisory";
      else if (b.powers.length === 1 && b.powers[0].kind === "decision" && b.powers[0].matter === POWER_MATTER) powers = "decision";
      else powers = "other";
    }
    put("f-powers", powers);
  }

  function formValue(node) {
    const raw = node.value;
    if (raw === "") return null;
    if (node.type === "number") {
      const n = Number(raw);
      return Number.isInteger(n) && n >= 0 ? n : undefined;
    }
    if (node.id === "f-beratungsfolge") return raw === "true";
    if (node.id === "f-powers") {
      if (raw === "none") return [];
      return [{ matter: POWER_MATTER, kind: raw }];
    }
    return raw;
  }

  function onFormChange(e) {
    const node = e.target;
    if (node.id === "f-add-body") {
      const kind = node.value;
      node.value = "";
      if (!kind) return;
      const count = (state.config && state.config.bodies ? state.config.bodies.length : 0);
      applyEdits([{ path: "bodies", op: "append", value: { kind } }]).then((ok) => { if (ok) state.body = count; });
      return;
    }
    if (!node.dataset.path && !node.dataset.body) return;
    const value = formValue(node);
    if (value === undefined) return;
    const path = node.dataset.path || `bodies[${state.body}].${node.dataset.body}`;
    applyEdits([{ path, value }]);
  }

  // ---------------------------------------------------------------------------------- pickers

  function fillScenarioPicker() {
    const sel = $("scenario");
    const current = sel.value;
    sel.replaceChildren(
      el("option", { value: "" }, t("choose")),
      el("option", { value: "__blank" }, t("blank")),
      ...state.scenarios.filter((s) => s.kind === "configuration").map((s) => el("option", { value: s.id }, `${s.id} — ${s.title}`)),
    );
    sel.value = current;
    const ex = $("el-example");
    const cur2 = ex.value;
    ex.replaceChildren(el("option", { value: "" }, t("choose")),
      ...state.scenarios.filter((s) => s.kind === "election").map((s) => el("option", { value: s.id }, `${s.id.replace("elections/", "")} — ${s.title}`)));
    ex.value = cur2;
  }

  function regimeLabel(r) {
    return `${r.id} — ${r.title}${r.status === "proposal" ? ` (${t("proposal")})` : ""}`;
  }

  function fillRegimePickers() {
    const sel = $("regime");
    sel.replaceChildren(el("option", { value: "" }, t("regime_auto")), ...state.regimes.map((r) => el("option", { value: r.id }, regimeLabel(r))));
    sel.value = state.regime;
    for (const id of ["cmp-a", "cmp-b"]) {
      const s = $(id);
      const cur = s.value;
      s.replaceChildren(...state.regimes.map((r) => el("option", { value: r.id }, regimeLabel(r))));
      if (cur) s.value = cur;
    }
  }

  async function loadScenario(id) {
    if (!id) return;
    let text;
    if (id === "__blank") {
      const res = await fetch("/static/template.yaml");
      text = await res.text();
    } else {
      const res = await api(`/api/scenarios/${encodeURIComponent(id).replace("%2F", "/")}`);
      if (!res.ok) return;
      text = res.data.yaml;
    }
    state.selected = null;
    state.body = 0;
    setYaml(text);
    scheduleCheck(0);
  }

  // ---------------------------------------------------------------------------------- URL and download

  const b64url = (bytes) => {
    let s = "";
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  };
  const unb64url = (s) => {
    const bin = atob(s.replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(bin, (c) => c.charCodeAt(0));
  };

  async function pipe(bytes, stream) {
    const out = new Blob([bytes]).stream().pipeThrough(stream);
    return new Uint8Array(await new Response(out).arrayBuffer());
  }

  async function encodeYaml(text) {
    const bytes = new TextEncoder().encode(text);
    if (typeof CompressionStream === "function") return `z${b64url(await pipe(bytes, new CompressionStream("deflate-raw")))}`;
    return `b${b64url(bytes)}`;
  }

  async function decodeYaml(s) {
    const bytes = unb64url(s.slice(1));
    if (s[0] === "z") return new TextDecoder().decode(await pipe(bytes, new DecompressionStream("deflate-raw")));
    return new TextDecoder().decode(bytes);
  }

  function saveUrl() {
    clearTimeout(urlTimer);
    urlTimer = setTimeout(async () => {
      const p = new URLSearchParams();
      p.set("l", state.lang);
      if (state.regime) p.set("r", state.regime);
      if (state.tab !== "check") p.set("t", state.tab);
      if (state.strict) p.set("s", "1");
      if (state.engine) p.set("e", state.engine);
      p.set("y", await encodeYaml(editor.value));
      history.replaceState(null, "", `#${p.toString()}`);
    }, 250);
  }

  async function readUrl() {
    const p = new URLSearchParams(location.hash.slice(1));
    if (p.get("l") === "en" || p.get("l") === "de") state.lang = p.get("l");
    if (p.get("r")) state.regime = p.get("r");
    if (p.get("t")) state.tab = p.get("t");
    state.strict = p.get("s") === "1";
    if (["rete", "compiled", "reference"].includes(p.get("e"))) state.engine = p.get("e");
    if (p.get("y")) {
      try { return await decodeYaml(p.get("y")); } catch { return null; }
    }
    return null;
  }

  function download() {
    const name = (state.config && state.config.municipality && state.config.municipality.name) || "konfiguration";
    const slug = name.toLowerCase().normalize("NFKD").replace(/[^\w]+/g, "-").replace(/^-|-$/g, "") || "konfiguration";
    const url = URL.createObjectURL(new Blob([editor.value], { type: "application/yaml" }));
    const a = el("a", { href: url, download: `${slug}.yaml` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  async function share() {
    clearTimeout(urlTimer);
    const p = new URLSearchParams(location.hash.slice(1));
    p.set("y", await encodeYaml(editor.value));
    history.replaceState(null, "", `#${p.toString()}`);
    try { await navigator.clipboard.writeText(location.href); setStatus(t("copied")); } catch { window.prompt(t("share"), location.href); }
  }

  // ---------------------------------------------------------------------------------- tabs

  function showTab(name) {
    state.tab = name;
    for (const b of document.querySelectorAll("[role=tab]")) b.setAttribute("aria-selected", String(b.dataset.tab === name));
    for (const p of document.querySelectorAll(".panel")) p.hidden = p.id !== `panel-${name}`;
    if (name === "compare") runCompare();
    if (name === "timeline") runTimeline();
    if (name === "sweep") fillSweepFields();
    saveUrl();
  }

  function obligationLabel(o) {
    if (o === null || o === undefined) return "—";
    const k = `ob_${o}`;
    return t(k) === k ? o : t(k);
  }

  function defaultCompare() {
    const a = $("cmp-a");
    const b = $("cmp-b");
    if (!a.dataset.touched && state.last) {
      a.value = state.last.regime.id;
      // a proposal amending this version; else any proposal (they amend the law in force when made)
      const proposal = state.regimes.find((r) => r.status === "proposal" && r.extends === a.value)
        || state.regimes.find((r) => r.status === "proposal" && r.id !== a.value)
        || state.regimes.find((r) => r.id !== a.value);
      if (proposal) b.value = proposal.id;
    }
  }

  async function runCompare() {
    defaultCompare();
    const out = $("cmp-out");
    const a = $("cmp-a").value;
    const b = $("cmp-b").value;
    if (!a || !b || a === b) { out.replaceChildren(el("p", { class: "hint" }, t("select_other"))); return; }
    const res = await api("/api/compare", { yaml: editor.value, regimes: [a, b], lang: state.lang, strict: state.strict, engine: state.engine || null });
    if (!res.ok) { out.replaceChildren(errorBox(res.data)); return; }
    const d = res.data;
    const conf = d.configurations[0];
    const head = el("tr", {}, el("th", {}, t("requirement")), ...d.regimes.map((r) => el("th", {}, r)));
    const rows = [
      el("tr", {}, el("td", {}, t("verdict")), ...d.regimes.map((r) => el("td", { class: `ov-${conf.regimes[r].verdict}` }, verdictLabel(conf.regimes[r].verdict)))),
      el("tr", {}, el("td", {}, t("obligation")), ...d.regimes.map((r) => el("td", {}, obligationLabel(conf.regimes[r].obligation)))),
      ...conf.differences.map((row) => el("tr", {},
        el("td", {}, `${row.rule}${row.body !== null ? ` [${row.body + 1}]` : ""} ${row.title}`),
        ...d.regimes.map((r) => el("td", { class: `o-${String(row.outcomes[r]).split(" ")[0]}` },
          row.outcomes[r] === "—" ? "—" : `${t(`o_${String(row.outcomes[r]).split(" ")[0]}`)}${row.citation[r] ? ` · ${row.citation[r]}` : ""}`)),
      )),
    ];
    const side = el("div", { class: "side" }, ...d.regimes.map((r) => {
      const c = d.checks[r];
      return el("div", {},
        el("h3", {}, `${r}: ${verdictLabel(c.verdict)}`),
        el("div", { class: "hint" }, c.regime.title),
        ...(c.findings.length ? c.findings.map((f) => el("div", { class: `mini o-${f.outcome}` },
          el("span", { class: `badge ${badgeClass(f)}` }, outcomeLabel(f)), " ", el("strong", {}, f.citation.label), " ", f.title,
          el("div", {}, f.message))) : [el("p", { class: "hint" }, t("none"))]));
    }));
    out.replaceChildren(
      ...d.summary.map((line) => el("p", { class: "summary" }, line)),
      el("table", { class: "grid", id: "cmp-table" }, el("thead", {}, head), el("tbody", {}, rows)),
      side,
    );
  }

  async function runTimeline() {
    const out = $("tl-out");
    const res = await api("/api/timeline", { yaml: editor.value, lang: state.lang, strict: state.strict, engine: state.engine || null });
    if (!res.ok) { out.replaceChildren(errorBox(res.data)); return; }
    const rows = res.data.timeline.map((r) => el("tr", {},
      el("td", {}, el("a", { href: "#", onclick: (e) => { e.preventDefault(); state.regime = r.regime; $("regime").value = r.regime; showTab("check"); scheduleCheck(0); } }, r.regime)),
      el("td", {}, `${r.valid_from || "…"} – ${r.valid_to || "…"}`),
      el("td", { class: `ov-${r.verdict}` }, verdictLabel(r.verdict)),
      el("td", {}, obligationLabel(r.obligation)),
      el("td", {}, r.violated.length ? el("ul", {}, r.violated.map((v) => el("li", {}, v))) : "—"),
      el("td", {}, String(r.undetermined)),
    ));
    out.replaceChildren(el("table", { class: "grid" },
      el("thead", {}, el("tr", {}, ...["regime", "in_force", "verdict", "obligation", "violated_list", "undetermined_n"].map((k) => el("th", {}, k === "regime" ? t("regime") : t(k))))),
      el("tbody", {}, rows)));
  }

  function errorBox(data) {
    const err = (data && data.error) || { message: "?" };
    return el("div", { class: "error" }, errorText(err));
  }

  // ---------------------------------------------------------------------------------- sweep

  function sweepFields() {
    const fields = [["municipality.foreign_residents", t("foreign_residents")], ["municipality.applicants", t("applicants")]];
    const bodies = (state.config && state.config.bodies) || [];
    bodies.forEach((b, i) => {
      for (const g of GROUPS) {
        fields.push([`bodies[${i}].seats.${g}`, `${t("body")} ${i + 1}: ${t("seats")} ${t(`g_${g}`)}`]);
        if (b.filled && b.filled[g] !== undefined) fields.push([`bodies[${i}].filled.${g}`, `${t("body")} ${i + 1}: ${t("filled")} ${t(`g_${g}`)}`]);
      }
    });
    return fields;
  }

  function fillSweepFields() {
    const sel = $("sw-field");
    const cur = sel.value;
    sel.replaceChildren(...sweepFields().map(([v, label]) => el("option", { value: v }, `${label} (${v})`)));
    if (cur) sel.value = cur;
    if (!sel.value && sel.options.length) sel.selectedIndex = 0;
  }

  function onSweepField() {
    const f = $("sw-field").value;
    if (f.startsWith("municipality.")) { $("sw-from").value = 0; $("sw-to").value = 10000; } else { $("sw-from").value = 0; $("sw-to").value = 30; }
  }

  const VERDICT_COLORS = { compliant: "#7cc08a", violations: "#e07a72", undetermined: "#a998d8", invalid: "#cccccc" };
  const OBLIGATION_COLORS = { mandatory: "#5d8fd0", on_application: "#9dbde6", voluntary: "#d9e4f2", none: "#eeeeee", undetermined: "#c9b8f0", open: "#e8d9a8" };

  function currentValue(path) {
    let node = state.config;
    for (const m of path.matchAll(/([A-Za-z_]+)|\[(\d+)\]/g)) {
      if (node === null || node === undefined) return null;
      node = m[1] !== undefined ? node[m[1]] : node[parseInt(m[2], 10)];
    }
    return typeof node === "number" ? node : null;
  }

  async function runSweep() {
    const out = $("sw-out");
    const field = $("sw-field").value;
    const lo = parseInt($("sw-from").value, 10);
    const hi = parseInt($("sw-to").value, 10);
    out.replaceChildren(el("p", { class: "hint" }, t("checking")));
    const res = await api("/api/sweep", { yaml: editor.value, field, from: lo, to: hi, regime: state.regime || null, lang: state.lang, engine: state.engine || null });
    if (!res.ok) { out.replaceChildren(errorBox(res.data)); return; }
    out.replaceChildren(el("p", { class: "hint" }, `${res.data.municipality} — ${res.data.regime} — ${t("engine")}: ${res.data.engine} — ${t("sweep_hint")}`), sweepChart(res.data),
      res.data.changes.length ? el("ul", { id: "sw-changes" }, res.data.changes.map((c) => el("li", {},
        el("strong", {}, `${c.before_value} → ${c.after_value}: `),
        `${verdictLabel(c.before.verdict)} / ${obligationLabel(c.before.obligation)} → ${verdictLabel(c.after.verdict)} / ${obligationLabel(c.after.obligation)}`,
        c.lines.length ? el("div", { class: "hint" }, c.lines.join("; ")) : null)))
        : el("p", {}, t("no_change")));
  }

  function sweepChart(d) {
    const W = 760;
    const H = 250;
    const L = 110;
    const R = 20;
    const span = Math.max(1, d.to - d.from);
    const x = (v) => L + ((v - d.from) / span) * (W - L - R);
    const svg = svgEl("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", id: "sweep-chart", "aria-label": `${d.field} ${d.from}..${d.to}` });
    const bands = [["verdict", 70, VERDICT_COLORS, (s) => verdictLabel(s.verdict)], ["obligation", 130, OBLIGATION_COLORS, (s) => obligationLabel(s.obligation)]];
    for (const [name, y, colors, label] of bands) {
      svg.append(svgEl("text", { x: 8, y: y + 24, "font-size": 12, fill: "#333" }, t(name)));
      for (const s of d.segments) {
        const x0 = x(s.from);
        const x1 = s.to === d.to ? x(d.to) : x(s.to + 1);
        const value = name === "verdict" ? s.verdict : s.obligation;
        const rect = svgEl("rect", { x: x0, y, width: Math.max(1, x1 - x0), height: 40, fill: colors[value] || "#ddd", stroke: "#fff" });
        rect.append(svgEl("title", {}, `${s.from}–${s.to}: ${label(s)}`));
        svg.append(rect);
        if (x1 - x0 > 60) svg.append(svgEl("text", { x: (x0 + x1) / 2, y: y + 25, "font-size": 12, "text-anchor": "middle", fill: "#222" }, label(s)));
      }
    }
    // axis
    svg.append(svgEl("line", { x1: L, y1: 180, x2: W - R, y2: 180, stroke: "#555" }));
    for (let i = 0; i <= 5; i++) {
      const v = Math.round(d.from + (span * i) / 5);
      svg.append(svgEl("line", { x1: x(v), y1: 180, x2: x(v), y2: 185, stroke: "#555" }));
      svg.append(svgEl("text", { x: x(v), y: 198, "font-size": 11, "text-anchor": "middle", fill: "#555" }, v.toLocaleString(state.lang)));
    }
    svg.append(svgEl("text", { x: (L + W - R) / 2, y: 222, "font-size": 12, "text-anchor": "middle", fill: "#333" }, d.field));
    // change points, labels staggered so that near ones do not overlap
    let lastX = -1e9;
    let level = 0;
    d.changes.forEach((c) => {
      const cx = x(c.after_value);
      level = cx - lastX < 70 ? (level + 1) % 3 : 0;
      lastX = cx;
      const mark = svgEl("g", { class: "change-point", "data-value": c.after_value });
      mark.append(svgEl("title", {}, `${c.before_value} → ${c.after_value}: ${c.lines.join("; ")}`));
      mark.append(svgEl("line", { x1: cx, y1: 22 + level * 14, x2: cx, y2: 178, stroke: "#222", "stroke-dasharray": "4 3", class: "change" }));
      mark.append(svgEl("text", { x: cx, y: 18 + level * 14, "font-size": 11, "text-anchor": "middle", fill: "#111", class: "change-label" }, `${c.after_value.toLocaleString(state.lang)}`));
      const what = c.before.verdict !== c.after.verdict ? verdictLabel(c.after.verdict) : obligationLabel(c.after.obligation);
      mark.append(svgEl("text", { x: cx + 3, y: 62, "font-size": 10, fill: "#333", class: "change-what" }, `→ ${what}`));
      svg.append(mark);
    });
    const now = currentValue(d.field);
    if (now !== null && now >= d.from && now <= d.to) {
      svg.append(svgEl("path", { d: `M${x(now)} 178 l-6 10 h12 z`, fill: "#0b5cad" }));
      svg.append(svgEl("text", { x: x(now), y: 240, "font-size": 11, "text-anchor": "middle", fill: "#0b5cad" }, `${t("current")}: ${now}`));
    }
    return svg;
  }

  // ---------------------------------------------------------------------------------- election

  function candidateRow(c) {
    const kind = el("select", { class: "c-kind" },
      el("option", { value: "list" }, t("el_list")), el("option", { value: "single" }, t("el_single")));
    kind.value = c.kind || "list";
    const persons = el("input", { type: "number", min: 0, class: "c-persons", placeholder: t("el_enough"), value: c.candidates ?? "" });
    persons.disabled = kind.value === "single";
    kind.addEventListener("change", () => { persons.disabled = kind.value === "single"; });
    const row = el("tr", {},
      el("td", {}, el("input", { type: "text", class: "c-name", value: c.name || "" })),
      el("td", {}, kind),
      el("td", {}, el("input", { type: "number", min: 0, class: "c-votes", value: c.votes ?? 0 })),
      el("td", {}, persons),
      el("td", {}, el("button", { type: "button", onclick: () => row.remove() }, t("remove"))));
    return row;
  }

  function setElection(data) {
    $("el-seats").value = data.seats || 10;
    $("el-rows").replaceChildren(...(data.candidates || []).map(candidateRow));
  }

  function readElection() {
    const candidates = [...$("el-rows").children].map((row) => {
      const c = {
        name: row.querySelector(".c-name").value.trim(),
        kind: row.querySelector(".c-kind").value,
        votes: parseInt(row.querySelector(".c-votes").value || "0", 10),
      };
      const persons = row.querySelector(".c-persons").value;
      if (c.kind === "list" && persons !== "") c.candidates = parseInt(persons, 10);
      return c;
    });
    return { seats: parseInt($("el-seats").value || "0", 10), candidates };
  }

  function lots() {
    return $("el-lots").value.split(",").map((s) => s.trim()).filter(Boolean);
  }

  async function runElection() {
    const out = $("el-out");
    const res = await api("/api/elect", { election: readElection(), majority_clause: $("el-majority").checked, lots: lots(), lang: state.lang });
    if (!res.ok) { out.replaceChildren(errorBox(res.data)); return; }
    const d = res.data;
    state.election = d;
    const rows = d.candidates.map((c) => el("tr", {}, el("td", {}, c.name), el("td", {}, c.kind === "list" ? t("el_list") : t("el_single")),
      el("td", {}, String(c.votes)), el("td", {}, String(c.entitled)), el("td", { class: c.filled < c.entitled ? "o-undetermined" : "" }, String(c.filled))));
    const ties = d.ties.map((tie) => el("div", { class: "tie" },
      tie.decides === "seat" ? t("el_tie", { n: tie.seats, names: tie.names.join(", ") }) : t("el_tie_loss", { names: tie.names.join(", ") }),
      el("div", { class: "fixes" }, tie.names.map((n) => el("button", { type: "button", onclick: () => { $("el-lots").value = [...lots(), n].join(", "); runElection(); } }, t("el_draw", { name: n }))))));
    const bodies = (state.config && state.config.bodies) || [];
    const bodySel = el("select", { id: "el-body" }, bodies.map((b, i) => el("option", { value: i }, `${i + 1}: ${b.name || b.kind}`)));
    const into = el("div", { class: "row" },
      el("label", { for: "el-body" }, t("el_into_body")), bodySel,
      el("button", { type: "button", class: "primary", id: "el-into", disabled: d.ties.length > 0 || !bodies.length, onclick: () => carryInto(parseInt(bodySel.value, 10)) }, t("el_into")));
    out.replaceChildren(
      el("table", { class: "grid", id: "el-table" },
        el("thead", {}, el("tr", {}, ...["el_name", "el_kind", "el_votes", "el_entitled", "el_filled"].map((k) => el("th", {}, t(k))))),
        el("tbody", {}, rows)),
      el("p", { id: "el-vacant" }, el("strong", {}, `${t("el_vacant")}: ${d.vacant}`), ` / ${t("el_seats")}: ${d.seats}`),
      ...ties,
      d.majority_clause_applied ? el("p", {}, t("el_majority_applied")) : null,
      into,
    );
  }

  async function carryInto(body) {
    const res = await api("/api/elect", {
      election: readElection(), majority_clause: $("el-majority").checked, lots: lots(), lang: state.lang,
      into: { yaml: editor.value, body },
    });
    if (!res.ok) { $("el-out").append(errorBox(res.data)); return; }
    setYaml(res.data.into.yaml);
    setStatus(`${t("el_into_done")}: ${res.data.into.account}`);
    showTab("check");
    scheduleCheck(0);
  }

  // ---------------------------------------------------------------------------------- start

  async function start() {
    const fromUrl = await readUrl();
    const [regimes, scenarios] = await Promise.all([api(`/api/regimes?lang=${state.lang}`), api("/api/scenarios")]);
    state.regimes = regimes.ok ? regimes.data : [];
    state.scenarios = scenarios.ok ? scenarios.data : [];
    applyI18n();
    editor.addEventListener("input", () => { renderEditor(); scheduleCheck(); });
    editor.addEventListener("scroll", syncScroll);
    $("form").addEventListener("change", onFormChange);
    $("f-body").addEventListener("change", (e) => { e.stopPropagation(); state.body = parseInt(e.target.value, 10) || 0; fillForm(); });
    $("date").addEventListener("change", () => applyEdits([{ path: "date", value: $("date").value || null }]));
    $("regime").addEventListener("change", () => { state.regime = $("regime").value; scheduleCheck(0); });
    $("scenario").addEventListener("change", () => loadScenario($("scenario").value));
    $("show-all").addEventListener("change", () => { state.showAll = $("show-all").checked; renderCheck(); });
    $("strict").checked = state.strict;
    $("engine").value = state.engine;
    $("engine").addEventListener("change", () => { state.engine = $("engine").value; scheduleCheck(0); });
    $("strict").addEventListener("change", () => { state.strict = $("strict").checked; scheduleCheck(0); });
    $("lang").addEventListener("click", async () => {
      state.lang = state.lang === "de" ? "en" : "de";
      const r = await api(`/api/regimes?lang=${state.lang}`);
      if (r.ok) state.regimes = r.data;
      applyI18n();
      scheduleCheck(0);
      if (state.tab === "sweep" && $("sw-out").firstChild) runSweep();
      if (state.tab === "elect" && state.election) runElection();
    });
    $("share").addEventListener("click", share);
    $("download").addEventListener("click", download);
    for (const b of document.querySelectorAll("[role=tab]")) b.addEventListener("click", () => showTab(b.dataset.tab));
    for (const id of ["cmp-a", "cmp-b"]) $(id).addEventListener("change", () => { $("cmp-a").dataset.touched = "1"; runCompare(); });
    $("cmp-run").addEventListener("click", runCompare);
    $("sw-field").addEventListener("change", onSweepField);
    $("sw-run").addEventListener("click", runSweep);
    $("el-add").addEventListener("click", () => $("el-rows").append(candidateRow({ kind: "list", votes: 0 })));
    $("el-run").addEventListener("click", runElection);
    $("el-example").addEventListener("change", async () => {
      const id = $("el-example").value;
      if (!id) return;
      const res = await api(`/api/scenarios/${id}`);
      if (res.ok && res.data.data) { setElection(res.data.data); runElection(); }
    });
    setElection({ seats: 10, candidates: [{ name: "Liste A", kind: "list", votes: 1200 }, { name: "Liste B", kind: "list", votes: 800, candidates: 2 }, { name: "Einzelbewerberin C", kind: "single", votes: 300 }] });
    if (fromUrl !== null) {
      setYaml(fromUrl);
    } else {
      const ids = state.scenarios.map((s) => s.id);
      const first = ["edge-sachkundige-buerger-tipping", "koeln-2020"].find((id) => ids.includes(id));
      $("scenario").value = first || "__blank";
      await loadScenario(first || "__blank");
    }
    showTab(["check", "compare", "timeline", "sweep", "elect"].includes(state.tab) ? state.tab : "check");
    await runCheck();
    document.body.dataset.ready = "1";
  }

  start();
})();
