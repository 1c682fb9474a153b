// graphmodel view: builds the network, panels, search and filters from the
// JSON data block. Every value from the data reaches the page through
// textContent or DOM properties, never as HTML.
(function () {
  "use strict";
  var t0 = performance.now(), timings = {};
  var data = JSON.parse(document.getElementById("graphmodel-data").textContent);
  timings.parse = performance.now() - t0;
  var TYPES = ["Agency", "Fund", "Program", "Group", "Tambon", "District", "Province"];
  var BE = 543;

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function baht(x) { return "฿" + Math.round(x).toLocaleString("en-US"); }
  function yearText(a, b) {
    if (a === undefined || a === null) return null;
    if (b === undefined || b === null || a === b) return a + " (B.E. " + (a + BE) + ")";
    return a + "–" + b + " (B.E. " + (a + BE) + "–" + (b + BE) + ")";
  }
  function valueText(v) {
    if (v === null || v === undefined) return null;
    if (Array.isArray(v)) return v.join(", ");
    if (typeof v === "object") return JSON.stringify(v);
    return String(v);
  }

  // [key, value] lines describing a node or an edge.
  function nodeLines(gm) {
    var p = Object.assign({}, gm.props), lines = [];
    var kind = p.kind || p.channel;
    lines.push(["type", gm.type + (kind ? " · " + kind + (p.channel ? " channel" : "") : "")]);
    delete p.kind; delete p.channel;
    lines.push(["id", gm.id]);
    if (gm.name) lines.push(["name", gm.name]);
    if (gm.name_en && gm.name_en !== gm.name) lines.push(["English", gm.name_en]);
    if (gm.type === "Program" || gm.type === "Fund") {
      lines.push(["budget", gm.budget !== null && gm.budget !== undefined ? baht(gm.budget) : "unknown"]);
    }
    delete p.amount_thb;
    var years = gm.type === "Fund" ? yearText(p.fiscal_year) : yearText(p.start_year, p.end_year);
    if (years) lines.push([gm.type === "Fund" ? "fiscal year" : "years", years]);
    delete p.fiscal_year; delete p.start_year; delete p.end_year;
    if (p.themes && p.themes.length) lines.push(["themes", valueText(p.themes)]);
    delete p.themes;
    var source = p.source; delete p.source;
    Object.keys(p).sort().forEach(function (k) { lines.push([k, valueText(p[k])]); });
    if (!gm.summary) lines.push(["source", source || "unknown"]);
    return lines;
  }
  function edgeLines(gm) {
    var p = Object.assign({}, gm.props), lines = [["relationship", gm.name]];
    if (p.amount_thb !== undefined) { lines.push(["amount", baht(p.amount_thb)]); delete p.amount_thb; }
    if (p.fiscal_year !== undefined) { lines.push(["fiscal year", yearText(p.fiscal_year)]); delete p.fiscal_year; }
    Object.keys(p).sort().forEach(function (k) { lines.push([k, valueText(p[k])]); });
    return lines;
  }
  function infoElement(lines) {
    var box = el("div", "info");
    lines.forEach(function (kv) {
      var row = el("div");
      row.appendChild(el("b", null, kv[0] + ":"));
      row.appendChild(el("span", null, kv[1]));
      box.appendChild(row);
    });
    return box;
  }

  // --- the network -------------------------------------------------------
  data.nodes.forEach(function (n) { n.title = infoElement(nodeLines(n.gm)); });
  data.edges.forEach(function (e) { e.title = infoElement(edgeLines(e.gm)); });
  timings.titles = performance.now() - t0;
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("graph");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  timings.network = performance.now() - t0;
  var view = window.graphmodelView = {
    nodes: nodes, edges: edges, network: network, data: data,
    state: "layout", stabilized: false, physicsEnabled: true, focused: null, timings: timings
  };
  var status = document.getElementById("status");
  var countText = nodes.length + " nodes · " + edges.length + " edges";

  // The page's own "settled" signal, for readers and tests alike: once the
  // stabilization iterations are done physics is switched off; when
  // vis-network then reports "stabilized" (its simulation loop has stopped)
  // and has drawn the settled layout, the state becomes "stable":
  // graphmodelView.state/stabilized and <body data-state="stable">.
  document.body.dataset.state = "layout";
  var drawnSince = false, stoppedSince = false;
  function settle() {
    if (view.stabilized || !drawnSince || !stoppedSince) return;
    timings.stabilized = performance.now() - t0;
    view.stabilized = true;
    view.state = "stable";
    status.textContent = countText;
    document.body.dataset.state = "stable";
  }
  function stopPhysics() {
    network.setOptions({ physics: { enabled: false } });
    view.physicsEnabled = false;
    network.once("afterDrawing", function () { drawnSince = true; settle(); });
    network.redraw();
  }
  network.on("stabilized", function () {
    if (view.physicsEnabled || network.physics.physicsEnabled) return;
    stoppedSince = true;
    settle();
  });
  network.on("stabilizationProgress", function (p) {
    status.textContent = "laying out… " + Math.round(100 * p.iterations / p.total) + "%";
  });
  network.once("stabilizationIterationsDone", stopPhysics);
  if (nodes.length === 0) { stoppedSince = true; stopPhysics(); }

  // --- header --------------------------------------------------------------
  document.getElementById("title").textContent = data.scope.title;
  var uncoordinated = data.pairs.filter(function (p) { return !p.coordinated; }).length;
  document.getElementById("summary").textContent = countText + " · " + uncoordinated +
    " uncoordinated parallel pair" + (uncoordinated === 1 ? "" : "s") +
    (data.since ? " · since " + (data.since.source || "the earlier snapshot") + ": " +
     data.since.resolved.length + " resolved, " + data.since.new + " new" : "");

  // --- details of a selection ---------------------------------------------
  var detail = document.getElementById("detail");
  // A place of an aggregated view may have a detailed page beside this one: a relative
  // address the page itself made from a DOPA code (checked again here), set as a property.
  function detailHref(gm) {
    return typeof gm.href === "string" && /^[A-Za-z0-9_.-]+\/[a-z]+-[0-9]+\.html$/.test(gm.href) ? gm.href : null;
  }
  function showDetail(id) {
    var n = nodes.get(id);
    if (!n) return;
    var box = infoElement(nodeLines(n.gm)), href = detailHref(n.gm);
    if (href) {
      var a = el("a", "detail-link", "Open the detailed view of " + n.gm.id + " →");
      a.href = href;
      box.appendChild(a);
    } else if (n.gm.summary && n.gm.type !== "Agency") {
      box.appendChild(el("div", "muted", "No detailed page was written for this place " +
                         "(none for places without uncoordinated pairs; see --detail-pages)."));
    }
    detail.replaceChildren(box);
  }
  network.on("click", function (params) {
    if (params.nodes.length) showDetail(params.nodes[0]);
  });
  network.on("doubleClick", function (params) {
    var n = params.nodes.length ? nodes.get(params.nodes[0]) : null, href = n && detailHref(n.gm);
    if (href) window.location.assign(href);
  });

  // --- findings -------------------------------------------------------------
  var list = document.getElementById("findings");
  function sideLine(tag, side) {
    var row = el("div", "finding-side");
    row.appendChild(el("span", "tag", tag));
    row.appendChild(el("span", null, side.label));
    var who = side.agencies.concat(side.groups);
    row.appendChild(el("div", "muted", "by " + (who.length ? who.join("; ") : "no known agency")));
    return row;
  }
  function focusPair(i) {
    var p = data.pairs[i], ids = [p.a.program, p.b.program];
    while (listed <= i) listMore();
    network.selectNodes(ids);
    network.fit({ nodes: ids, animation: false });
    view.focused = ids;
    Array.prototype.forEach.call(list.children, function (li) {
      li.classList.toggle("active", li.dataset.pair === String(i));
    });
    showDetail(ids[0]);
  }
  view.focus = focusPair;
  function findingElement(p, i) {
    var li = el("li", p.coordinated ? "finding coordinated" : "finding");
    li.dataset.pair = String(i);
    li.tabIndex = 0;
    li.setAttribute("role", "button");
    var head = el("div", "finding-tambon", (p.coordinated ? "coordinated · " : "") + p.tambon);
    if (p.new) {
      li.classList.add("new");
      head.appendChild(el("span", "badge", "new"));
    }
    li.appendChild(head);
    li.appendChild(sideLine("A", p.a));
    li.appendChild(sideLine("B", p.b));
    li.appendChild(el("div", "muted", "shared themes: " + p.shared_themes.join(", ") +
                      " · years " + yearText(p.years[0], p.years[1])));
    li.appendChild(el("div", "finding-why", p.explanation));
    if (p.fix) li.appendChild(el("div", "finding-fix", "Fix: " + p.fix));
    if (p.new) li.appendChild(el("div", "finding-new", "New since " + sinceName() + ": " + p.new.why +
                                 (p.new.detail ? " (" + p.new.detail + ")" : "")));
    li.addEventListener("click", function () { focusPair(i); });
    li.addEventListener("keydown", function (ev) { if (ev.key === "Enter") focusPair(i); });
    return li;
  }
  // A province can have thousands of findings: list them a page at a time.
  var PAGE = 50, listed = 0, more = el("button", "more");
  more.type = "button";
  function listMore() {
    var end = Math.min(listed + PAGE, data.pairs.length);
    for (; listed < end; listed++) list.insertBefore(findingElement(data.pairs[listed], listed), more.parentNode);
    if (listed >= data.pairs.length) more.parentNode.remove();
    else more.textContent = "show " + Math.min(PAGE, data.pairs.length - listed) + " more of " +
      (data.pairs.length - listed);
  }
  if (!data.pairs.length) {
    list.appendChild(el("li", "note muted", "No parallel programs in this view."));
  } else {
    var moreItem = el("li", "note");
    moreItem.appendChild(more);
    list.appendChild(moreItem);
    more.addEventListener("click", listMore);
    listMore();
    if (!uncoordinated) {
      document.getElementById("findings-heading").textContent = "Parallel programs (all coordinated)";
    }
  }

  // --- since an earlier snapshot (--since): the pairs resolved since ----------
  function sinceName() { return data.since && data.since.source ? data.since.source : "the earlier snapshot"; }
  var since = data.since, resolvedList = document.getElementById("resolved");
  function focusResolved(r) {
    if (!r.drawn) return;
    var ids = [r.a.program, r.b.program];
    network.selectNodes(ids);
    network.fit({ nodes: ids, animation: false });
    view.focused = ids;
    showDetail(ids[0]);
  }
  if (since) {
    var heading = document.getElementById("since-heading");
    heading.hidden = false;
    resolvedList.hidden = false;
    var count = since.resolved_count !== undefined ? since.resolved_count : since.resolved.length;
    heading.textContent = "Since " + sinceName() + ": " + count + " resolved, " + since.new + " new";
    since.resolved.forEach(function (r) {
      var li = el("li", "finding resolved");
      li.tabIndex = 0;
      li.appendChild(el("div", "finding-tambon", r.how + " · " + r.tambon));
      [["A", r.a], ["B", r.b]].forEach(function (side) {
        var row = el("div", "finding-side");
        row.appendChild(el("span", "tag", side[0]));
        row.appendChild(el("span", null, side[1].label));
        li.appendChild(row);
      });
      if (r.detail) li.appendChild(el("div", "finding-why", r.detail));
      if (!r.drawn) li.appendChild(el("div", "muted", "not drawn: a program is not in this view"));
      li.addEventListener("click", function () { focusResolved(r); });
      li.addEventListener("keydown", function (ev) { if (ev.key === "Enter") focusResolved(r); });
      resolvedList.appendChild(li);
    });
    if (!since.resolved.length) {
      resolvedList.appendChild(el("li", "note muted", count ? "Open a place's detailed page to see them." :
                                  "None resolved here."));
    }
  }

  // --- aggregated views: summary and the agency matrix -----------------------
  var ov = data.overview;
  if (ov) {
    document.getElementById("summary").textContent = ov.places + " " + ov.level + (ov.places === 1 ? "" : "s") +
      " · " + ov.agencies + " agencies drawn" + (ov.hidden_agencies ? " (" + ov.hidden_agencies + " more not drawn)" : "") +
      " · " + ov.pairs + " parallel pairs, " + ov.uncoordinated + " uncoordinated · " +
      ov.detail_pages + " detailed page" + (ov.detail_pages === 1 ? "" : "s");
    document.getElementById("findings-heading").hidden = true;
    list.hidden = true;
    document.getElementById("matrix-section").hidden = false;
    document.getElementById("matrix-note").textContent = ov.matrix.length ?
      "Uncoordinated parallel pairs with one agency on each side (docs/analysis.md: the agency matrix)." :
      "No uncoordinated parallel pair in this area.";
    var body = document.querySelector("#matrix tbody");
    ov.matrix.forEach(function (r) {
      var tr = el("tr");
      tr.appendChild(el("td", null, r.name_a));
      tr.appendChild(el("td", null, r.name_b));
      tr.appendChild(el("td", "n", r.uncoordinated));
      tr.appendChild(el("td", "n", r.tambons));
      body.appendChild(tr);
    });
    if (ov.matrix_rows > ov.matrix.length) {
      var more = el("tr"), td = el("td", "muted", "… " + (ov.matrix_rows - ov.matrix.length) + " more pairs of agencies");
      td.colSpan = 4;
      more.appendChild(td);
      body.appendChild(more);
    }
  }

  // --- search -----------------------------------------------------------------
  var search = document.getElementById("search"), results = document.getElementById("search-results");
  function norm(s) { return String(s || "").normalize("NFC").toLowerCase(); }
  function matches(q) {
    q = norm(q).trim();
    if (!q) return [];
    return nodes.get({ filter: function (n) {
      return norm(n.gm.name).indexOf(q) >= 0 || norm(n.gm.name_en).indexOf(q) >= 0 ||
             norm(n.gm.id).indexOf(q) >= 0;
    } });
  }
  function focusNode(id) {
    network.selectNodes([id]);
    network.focus(id, { scale: 1.2, animation: false });
    showDetail(id);
  }
  view.search = function (q) { return matches(q).map(function (n) { return n.id; }); };
  search.addEventListener("input", function () {
    var found = matches(search.value);
    results.replaceChildren();
    found.slice(0, 30).forEach(function (n) {
      var li = el("li"), b = el("button", null,
        (n.gm.name || n.gm.id) + (n.gm.name_en ? " · " + n.gm.name_en : "") +
        " (" + n.gm.type + " " + n.gm.id + ")");
      b.type = "button";
      b.dataset.node = n.id;
      b.addEventListener("click", function () { focusNode(n.id); });
      li.appendChild(b);
      results.appendChild(li);
    });
    if (search.value.trim() && !found.length) results.appendChild(el("li", "muted", "nothing found"));
    else if (found.length > 30) results.appendChild(el("li", "muted", "… " + (found.length - 30) + " more"));
  });
  search.addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter") return;
    var ids = matches(search.value).map(function (n) { return n.id; });
    if (!ids.length) return;
    network.selectNodes(ids);
    network.fit({ nodes: ids, animation: false });
    showDetail(ids[0]);
  });

  // --- type filters ---------------------------------------------------------
  var filters = document.getElementById("filter-list");
  function checkbox(text, onChange) {
    var label = el("label"), box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.addEventListener("change", function () { onChange(box.checked); });
    label.appendChild(box);
    label.appendChild(document.createTextNode(" " + text));
    filters.appendChild(label);
    return box;
  }
  TYPES.forEach(function (type) {
    var ids = nodes.getIds({ filter: function (n) { return n.gm.type === type; } });
    if (!ids.length) return;
    checkbox(type + " (" + ids.length + ")", function (on) {
      nodes.update(ids.map(function (id) { return { id: id, hidden: !on }; }));
    }).dataset.type = type;
  });
  [["MISSING_LINK", "missing links"], ["RESOLVED_LINK", "resolved since " + sinceName()]].forEach(function (kind) {
    var ids = edges.getIds({ filter: function (e) { return e.gm.type === kind[0]; } });
    if (!ids.length) return;
    checkbox(kind[1] + " (" + ids.length + ")", function (on) {
      edges.update(ids.map(function (id) { return { id: id, hidden: !on }; }));
    }).dataset.type = kind[0];
  });

  // --- legend ------------------------------------------------------------------
  var SVG = "http://www.w3.org/2000/svg";
  function svg(w, h) {
    var s = document.createElementNS(SVG, "svg");
    s.setAttribute("width", w); s.setAttribute("height", h);
    return s;
  }
  function shapeElement(shape, color, border) {
    var s = svg(18, 18), e, pts = {
      diamond: "9,1 17,9 9,17 1,9", triangle: "9,2 17,16 1,16",
      hexagon: "5,2 13,2 17,9 13,16 5,16 1,9"
    }[shape];
    if (pts) { e = document.createElementNS(SVG, "polygon"); e.setAttribute("points", pts); }
    else if (shape === "square") {
      e = document.createElementNS(SVG, "rect");
      e.setAttribute("x", 2); e.setAttribute("y", 2); e.setAttribute("width", 14); e.setAttribute("height", 14);
    } else {
      e = document.createElementNS(SVG, "circle");
      e.setAttribute("cx", 9); e.setAttribute("cy", 9); e.setAttribute("r", 7);
    }
    e.setAttribute("fill", color); e.setAttribute("stroke", border || "#333");
    if (border) e.setAttribute("stroke-width", 2.5);
    s.appendChild(e);
    return s;
  }
  function lineElement(item) {
    var s = svg(34, 10), l = document.createElementNS(SVG, "line");
    l.setAttribute("x1", 1); l.setAttribute("y1", 5); l.setAttribute("x2", 33); l.setAttribute("y2", 5);
    l.setAttribute("stroke", item.color); l.setAttribute("stroke-width", item.width);
    if (item.dashes) l.setAttribute("stroke-dasharray", item.dashes.join(" "));
    s.appendChild(l);
    return s;
  }
  var legend = document.getElementById("legend");
  data.legend.nodes.forEach(function (item) {
    var row = el("div", "legend-row");
    row.appendChild(shapeElement(item.shape, item.color, item.border));
    if (item.badge) row.appendChild(el("span", "badge", item.badge));
    row.appendChild(el("span", null, item.label));
    legend.appendChild(row);
  });
  data.legend.edges.forEach(function (item) {
    var row = el("div", "legend-row");
    row.appendChild(lineElement(item));
    if (item.badge) row.appendChild(el("span", "badge", item.badge));
    row.appendChild(el("span", null, item.label));
    legend.appendChild(row);
  });
  timings.panel = performance.now() - t0;
}());
