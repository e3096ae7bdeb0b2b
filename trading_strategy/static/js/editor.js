/* The strategy editor: live validation, diagnostics at their lines, Add indicator, format
 * conversion, Test syntax, autosave and live conflicts.
 *
 * The page works without this script (the form posts and the server renders everything);
 * the script only brings the same answers while the user types. It never rewrites the
 * textarea while the user types: only explicit actions (convert, insert, restore) change
 * the text, through the browser's own editing so that undo still works.
 * No inline code: configuration comes from data-* attributes and JSON data islands.
 */
(function () {
  "use strict";

  var form = document.getElementById("editor-form");
  if (!form) { return; }

  var cfg = form.dataset;
  var textarea = document.getElementById("document");
  var formatSelect = document.getElementById("format");
  var gutter = document.getElementById("gutter");
  var diagnosticsList = document.getElementById("diagnostics");
  var diagnosticsEmpty = document.getElementById("diagnostics-empty");
  var sectionStatus = document.getElementById("section-status");
  var nameStatus = document.getElementById("name-status");
  var validationState = document.getElementById("validation-state");
  var lockInput = form.querySelector("input[name=lock_version]");
  var csrfInput = form.querySelector("input[name=csrfmiddlewaretoken]");
  var syntaxResult = document.getElementById("syntax-result");
  var conflictSlot = document.getElementById("conflict-slot");
  var strategyId = cfg.strategyId || "";
  var readOnly = cfg.readOnly === "true";
  var debounceMs = parseInt(cfg.debounceMs || "300", 10);
  var autosaveMs = parseInt(cfg.autosaveSeconds || "30", 10) * 1000;

  var catalog = readJson("indicator-catalog") || { indicators: [], fields: {} };
  var currentFormat = formatSelect.value;
  var savedText = textarea.value;
  var savedFormat = currentFormat;
  var submitting = false;
  var lastAutosaved = stateKey();
  var lastDiagnostics = diagnosticsFromPage();
  var lineCount = countLines(textarea.value);

  var sentSeq = 0;      // last validation request sent
  var appliedSeq = 0;   // request number of the last response shown
  var appliedCount = 0; // responses shown, published as data-seq
  var debounceTimer = null;

  function readJson(id) {
    var node = document.getElementById(id);
    if (!node) { return null; }
    try { return JSON.parse(node.textContent); } catch (error) { return null; }
  }

  function csrfToken() { return csrfInput ? csrfInput.value : ""; }

  function stateKey() { return currentFormat + "\u0000" + textarea.value; }

  function isDirty() { return textarea.value !== savedText || currentFormat !== savedFormat; }

  function countLines(text) { return text.split("\n").length; }

  function formData(fields) {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", csrfToken());
    Object.keys(fields).forEach(function (key) {
      if (fields[key] !== undefined && fields[key] !== null) { data.append(key, fields[key]); }
    });
    return data;
  }

  function post(url, fields, options) {
    var init = {
      method: "POST",
      body: formData(fields),
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" }
    };
    if (options && options.keepalive) { init.keepalive = true; }
    return fetch(url, init);
  }

  function jsonOrError(response) {
    return response.json().catch(function () { return {}; }).then(function (body) {
      if (!response.ok) { body.status = response.status; throw body; }
      return body;
    });
  }

  /* ---- flash messages ------------------------------------------------------------- */

  function flash(level, text) {
    var list = document.querySelector(".messages");
    if (!list) {
      list = document.createElement("ul");
      list.className = "messages";
      var main = document.querySelector("main") || document.body;
      main.insertBefore(list, main.firstChild);
    }
    var item = document.createElement("li");
    item.className = "message " + level;
    item.setAttribute("role", level === "error" ? "alert" : "status");
    item.textContent = text;
    list.appendChild(item);
    while (list.children.length > 4) { list.removeChild(list.firstChild); }
  }

  function errorText(body, fallback) {
    if (body && body.error && body.error.message) { return body.error.message; }
    if (body && body.status === 413) { return "The document is too large."; }
    return fallback;
  }

  /* ---- gutter, markers and the diagnostics list ---------------------------------- */

  function diagnosticsFromPage() {
    var found = [];
    diagnosticsList.querySelectorAll("li.diagnostic").forEach(function (item) {
      found.push({
        code: item.dataset.code,
        severity: item.dataset.severity,
        line: item.dataset.line ? parseInt(item.dataset.line, 10) : null,
        message: (item.querySelector(".message") || item).textContent
      });
    });
    return found;
  }

  function renderGutter(diagnostics) {
    var byLine = {};
    diagnostics.forEach(function (d) {
      if (d.line === null || d.line === undefined) { return; }
      var entry = byLine[d.line] || (byLine[d.line] = { severity: "warning", messages: [] });
      if (d.severity === "error") { entry.severity = "error"; }
      entry.messages.push(d.message);
    });
    var lines = countLines(textarea.value);
    var fragment = document.createDocumentFragment();
    for (var number = 1; number <= lines; number += 1) {
      var row = document.createElement("div");
      row.className = "line-number";
      row.dataset.line = String(number);
      var mark = byLine[number];
      if (mark) {
        var marker = document.createElement("span");
        marker.className = "marker";
        marker.dataset.line = String(number);
        marker.dataset.severity = mark.severity;
        marker.title = mark.messages.join(" \u2022 ");
        row.appendChild(marker);
      }
      row.appendChild(document.createTextNode(String(number)));
      fragment.appendChild(row);
    }
    gutter.replaceChildren(fragment);
    lineCount = lines;
    syncScroll();
  }

  function renderDiagnostics(diagnostics) {
    var fragment = document.createDocumentFragment();
    diagnostics.forEach(function (d) {
      var item = document.createElement("li");
      item.className = "diagnostic";
      item.dataset.code = d.code;
      item.dataset.line = d.line === null || d.line === undefined ? "" : String(d.line);
      item.dataset.column = d.column === null || d.column === undefined ? "" : String(d.column);
      item.dataset.severity = d.severity;
      item.tabIndex = 0;
      var where = document.createElement("span");
      where.className = "where";
      where.textContent = d.line ? "Line " + d.line : "Document";
      var code = document.createElement("code");
      code.className = "code";
      code.textContent = d.code;
      var message = document.createElement("span");
      message.className = "message";
      message.textContent = d.message;
      item.append(where, " ", code, " ", message);
      if (d.hint) {
        var hint = document.createElement("span");
        hint.className = "hint";
        hint.textContent = d.hint;
        item.append(" ", hint);
      }
      fragment.appendChild(item);
    });
    diagnosticsList.replaceChildren(fragment);
    diagnosticsEmpty.hidden = diagnostics.length > 0;
  }

  function renderSections(sections) {
    sectionStatus.querySelectorAll("[data-section]").forEach(function (item) {
      var state = sections[item.dataset.section];
      if (!state) { return; }
      item.dataset.state = state;
      var label = item.querySelector(".state");
      if (label) { label.textContent = state; }
    });
  }

  function renderName(name) {
    nameStatus.dataset.state = name && name.taken ? "taken" : "ok";
    nameStatus.textContent = name && name.message ? name.message : "";
  }

  function summaryText(result) {
    var text = result.valid ? "Valid" : result.errors.length + " error" +
      (result.errors.length === 1 ? "" : "s");
    if (result.warnings.length) {
      text += ", " + result.warnings.length + " warning" + (result.warnings.length === 1 ? "" : "s");
    }
    return text;
  }

  function applyResult(result) {
    var diagnostics = result.errors.concat(result.warnings).sort(function (a, b) {
      return ((a.line || 0) - (b.line || 0)) || ((a.column || 0) - (b.column || 0));
    });
    lastDiagnostics = diagnostics;
    renderGutter(diagnostics);
    renderDiagnostics(diagnostics);
    renderSections(result.sections);
    renderName(result.name);
    validationState.textContent = summaryText(result);
  }

  /* ---- validation while typing ---------------------------------------------------- */

  function scheduleValidation() {
    window.clearTimeout(debounceTimer);
    validationState.dataset.state = "pending";
    debounceTimer = window.setTimeout(validateNow, debounceMs);
  }

  function validateNow() {
    sentSeq += 1;
    var seq = sentSeq;
    post(cfg.validateUrl, { document: textarea.value, format: currentFormat,
                            strategy_id: strategyId })
      .then(jsonOrError)
      .then(function (result) {
        if (seq <= appliedSeq) { return; } // an older answer arriving late: dropped
        appliedSeq = seq;
        applyResult(result);
        // The preview panel (preview.js) refreshes after each check of the text.
        form.dispatchEvent(new CustomEvent("strategy:checked", { detail: {
          valid: result.valid, document: textarea.value, format: currentFormat } }));
        appliedCount += 1;
        validationState.dataset.seq = String(appliedCount);
        validationState.dataset.state = seq === sentSeq ? "done" : "pending";
        if (document.getElementById("conflict-banner")) { refreshConflict(); }
      })
      .catch(function (body) {
        if (seq !== sentSeq) { return; }
        validationState.dataset.state = "done";
        validationState.textContent = errorText(body, "Could not check the document.");
      });
  }

  /* ---- moving to a line ------------------------------------------------------------ */

  function offsetOfLine(text, line) {
    var offset = 0;
    for (var index = 1; index < line; index += 1) {
      var next = text.indexOf("\n", offset);
      if (next === -1) { return text.length; }
      offset = next + 1;
    }
    return offset;
  }

  function lineHeight() {
    var value = parseFloat(window.getComputedStyle(textarea).lineHeight);
    return isNaN(value) ? 20 : value;
  }

  function goToLine(line, column) {
    if (!line) { return; }
    var text = textarea.value;
    var start = offsetOfLine(text, line);
    var end = text.indexOf("\n", start);
    if (end === -1) { end = text.length; }
    var caret = Math.min(start + Math.max((column || 1) - 1, 0), end);
    textarea.focus({ preventScroll: true });
    textarea.setSelectionRange(caret, caret);
    textarea.scrollTop = Math.max(0, (line - 1) * lineHeight() - textarea.clientHeight / 3);
    syncScroll();
  }

  function syncScroll() { gutter.scrollTop = textarea.scrollTop; }

  diagnosticsList.addEventListener("click", function (event) {
    var item = event.target.closest("li.diagnostic");
    if (item) { goToLine(parseInt(item.dataset.line, 10), parseInt(item.dataset.column, 10)); }
  });
  diagnosticsList.addEventListener("keydown", function (event) {
    var item = event.target.closest("li.diagnostic");
    if (item && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      goToLine(parseInt(item.dataset.line, 10), parseInt(item.dataset.column, 10));
    }
  });
  gutter.addEventListener("click", function (event) {
    var marker = event.target.closest(".marker");
    if (marker) { goToLine(parseInt(marker.dataset.line, 10), 1); }
  });
  textarea.addEventListener("scroll", syncScroll);

  /* ---- text changes made by an action, never by typing ---------------------------- */

  function replaceRange(start, end, text) {
    textarea.focus();
    textarea.setSelectionRange(start, end);
    // execCommand keeps the browser's undo history; setRangeText is the fallback.
    var done = false;
    try { done = document.execCommand("insertText", false, text); } catch (error) { done = false; }
    if (!done || textarea.value.slice(start, start + text.length) !== text) {
      textarea.setRangeText(text, start, end, "end");
    }
    afterEdit();
  }

  function replaceAll(text) { replaceRange(0, textarea.value.length, text); }

  function afterEdit() {
    if (countLines(textarea.value) !== lineCount) { renderGutter(lastDiagnostics); }
    scheduleValidation();
  }

  textarea.addEventListener("input", afterEdit);

  /* ---- format switch ---------------------------------------------------------------- */

  formatSelect.addEventListener("change", function () {
    var target = formatSelect.value;
    if (target === currentFormat) { return; }
    if (!textarea.value.trim()) { currentFormat = target; scheduleValidation(); return; }
    formatSelect.disabled = true;
    post(cfg.convertUrl, { document: textarea.value, format: currentFormat, to: target })
      .then(jsonOrError)
      .then(function (result) {
        currentFormat = target;
        replaceAll(result.document);
        flash("info", "Converted to " + target.toUpperCase() +
              ". Comments and unknown keys are not carried over.");
      })
      .catch(function (body) {
        var count = body && body.errors ? body.errors.length : 0;
        var question = "The document has " + count + (count === 1 ? " error" : " errors") +
          ", so it cannot be converted. " +
          "Treat the text as " + target.toUpperCase() + " without converting it?";
        if (body && body.status === 422 && window.confirm(question)) {
          currentFormat = target;
          flash("warning", "The format is now " + target.toUpperCase() + "; the text was not converted.");
          scheduleValidation();
          return;
        }
        formatSelect.value = currentFormat;
        flash("error", errorText(body, "The document could not be converted."));
      })
      .finally(function () { formatSelect.disabled = false; });
  });

  /* ---- Add indicator ---------------------------------------------------------------- */

  var addButton = document.getElementById("add-indicator");
  var panel = document.getElementById("indicator-panel");
  var typeSelect = document.getElementById("indicator-type");
  var nameInput = document.getElementById("indicator-name");
  var parametersBox = document.getElementById("indicator-parameters");
  var indicatorHelp = document.getElementById("indicator-help");
  var indicatorErrors = document.getElementById("indicator-errors");
  var insertButton = document.getElementById("insert-indicator");
  var closeButton = document.getElementById("close-indicator");

  function specFor(type) {
    for (var index = 0; index < catalog.indicators.length; index += 1) {
      if (catalog.indicators[index].type === type) { return catalog.indicators[index]; }
    }
    return null;
  }

  function renderParameters() {
    var spec = specFor(typeSelect.value);
    parametersBox.replaceChildren();
    indicatorErrors.textContent = "";
    if (!spec) { return; }
    indicatorHelp.textContent = spec.help + (spec.outputs.length ?
      " Outputs: " + spec.outputs.join(", ") + "." : "");
    typeSelect.title = spec.help;
    if (!spec.parameters.length) {
      var none = document.createElement("p");
      none.className = "helptext";
      none.textContent = "This indicator has no parameters.";
      parametersBox.appendChild(none);
    }
    spec.parameters.forEach(function (parameter) {
      var id = "indicator-parameter-" + parameter.name;
      var field = document.createElement("div");
      field.className = "parameter";
      var label = document.createElement("label");
      label.htmlFor = id;
      label.textContent = parameter.name;
      var input = document.createElement("input");
      input.id = id;
      input.dataset.parameter = parameter.name;
      input.title = parameter.help;
      input.placeholder = parameter.default_text;
      input.autocomplete = "off";
      if (parameter.kind === "source") {
        input.type = "text";
        var listId = id + "-choices";
        var list = document.createElement("datalist");
        list.id = listId;
        parameter.choices.forEach(function (choice) {
          var option = document.createElement("option");
          option.value = choice;
          list.appendChild(option);
        });
        input.setAttribute("list", listId);
        field.appendChild(list);
      } else {
        input.type = "number";
        input.min = parameter.min;
        input.max = parameter.max;
        input.step = parameter.step;
      }
      var help = document.createElement("span");
      help.className = "helptext";
      help.textContent = parameter.help + " Range " + parameter.range_text + "; default " +
        parameter.default_text + ".";
      field.append(label, input, help);
      parametersBox.appendChild(field);
    });
  }

  function showPanel(open) {
    panel.hidden = !open;
    addButton.setAttribute("aria-expanded", open ? "true" : "false");
    if (open) { renderParameters(); typeSelect.focus(); }
  }

  function insertIndicator() {
    var fields = { type: typeSelect.value, format: currentFormat, name: nameInput.value,
                   document: textarea.value };
    parametersBox.querySelectorAll("[data-parameter]").forEach(function (input) {
      input.removeAttribute("aria-invalid");
      if (input.value.trim()) { fields["param_" + input.dataset.parameter] = input.value; }
    });
    indicatorErrors.textContent = "";
    post(cfg.indicatorUrl, fields)
      .then(jsonOrError)
      .then(function (result) {
        var text = textarea.value;
        if (result.edit) {
          var start = offsetOfLine(text, result.edit.start_line + 1);
          var end = offsetOfLine(text, result.edit.end_line + 1);
          var insert = result.edit.text;
          if (start === text.length && text.length && text.charAt(text.length - 1) !== "\n") {
            insert = "\n" + insert;
          }
          if (end === text.length && result.edit.end_line > result.edit.start_line &&
              text.charAt(text.length - 1) !== "\n" && insert.charAt(insert.length - 1) === "\n") {
            insert = insert.slice(0, -1);
          }
          replaceRange(start, end, insert);
          goToLine(result.edit.start_line + 1, 1);
        } else {
          var caret = textarea.selectionStart;
          replaceRange(caret, textarea.selectionEnd, result.snippet);
        }
        nameInput.value = "";
        flash("success", "Inserted the " + typeSelect.value + " indicator.");
      })
      .catch(function (body) {
        var errors = body && body.errors ? body.errors : [];
        var messages = errors.map(function (error) {
          var input = parametersBox.querySelector('[data-parameter="' +
            (window.CSS && CSS.escape ? CSS.escape(error.parameter) : error.parameter) + '"]');
          if (input) { input.setAttribute("aria-invalid", "true"); }
          else if (!error.parameter) { nameInput.setAttribute("aria-invalid", "true"); }
          return error.message;
        });
        indicatorErrors.textContent = messages.length ? messages.join(" ") :
          errorText(body, "The indicator could not be inserted.");
      });
  }

  if (addButton && panel && !readOnly) {
    addButton.hidden = false;
    addButton.addEventListener("click", function () { showPanel(panel.hidden); });
    closeButton.addEventListener("click", function () { showPanel(false); });
    typeSelect.addEventListener("change", renderParameters);
    insertButton.addEventListener("click", insertIndicator);
    nameInput.addEventListener("input", function () { nameInput.removeAttribute("aria-invalid"); });
  }

  /* ---- Test syntax ---------------------------------------------------------------- */

  var testButton = document.getElementById("test-syntax");
  testButton.addEventListener("click", function (event) {
    event.preventDefault();
    testButton.disabled = true;
    post(cfg.syntaxUrl, { document: textarea.value, format: currentFormat,
                          strategy_id: strategyId })
      .then(function (response) {
        if (!response.ok) { return jsonOrError(response); }
        return response.text().then(function (html) {
          // Rendered and escaped by the server's templates.
          syntaxResult.innerHTML = html;
          var passed = !!syntaxResult.querySelector(".syntax-summary");
          flash(passed ? "success" : "error", passed ? "Test syntax passed." :
                "Test syntax found errors; they are listed below.");
          syntaxResult.scrollIntoView({ block: "nearest" });
        });
      })
      .catch(function (body) { flash("error", errorText(body, "Test syntax failed to run.")); })
      .finally(function () { testButton.disabled = false; });
  });

  /* ---- autosave and restore ------------------------------------------------------- */

  function autosaveFields() {
    return { strategy_id: strategyId, document: textarea.value, format: currentFormat,
             base_lock_version: lockInput.value };
  }

  function autosave(leaving) {
    if (readOnly || submitting || !isDirty() || stateKey() === lastAutosaved) { return; }
    var key = stateKey();
    if (leaving && navigator.sendBeacon) {
      // The CSRF token travels in the form data: a beacon cannot carry headers.
      if (navigator.sendBeacon(cfg.autosaveUrl, formData(autosaveFields()))) {
        lastAutosaved = key;
        return;
      }
    }
    post(cfg.autosaveUrl, autosaveFields(), { keepalive: leaving })
      .then(jsonOrError)
      .then(function () { lastAutosaved = key; })
      .catch(function () { /* the next tick tries again */ });
  }

  window.setInterval(function () { autosave(false); }, autosaveMs);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { autosave(true); }
  });
  window.addEventListener("pagehide", function () { autosave(true); });

  var restoreBanner = document.getElementById("restore-banner");
  var restoreButton = document.getElementById("restore-autosave");
  var discardButton = document.getElementById("discard-autosave");
  var draft = readJson("autosave-data");
  if (restoreBanner && restoreButton && draft) {
    restoreButton.addEventListener("click", function (event) {
      event.preventDefault();
      currentFormat = draft.format;
      formatSelect.value = draft.format;
      if (draft.base_lock_version !== null && draft.base_lock_version !== undefined) {
        lockInput.value = String(draft.base_lock_version);
      }
      replaceAll(draft.document);
      restoreBanner.remove();
      flash("info", "Your unsaved text was restored; save it to keep it.");
    });
  }
  if (restoreBanner && discardButton) {
    discardButton.addEventListener("click", function (event) {
      event.preventDefault();
      post(cfg.discardUrl, { strategy_id: strategyId })
        .then(jsonOrError)
        .then(function () {
          restoreBanner.remove();
          flash("info", "Your unsaved text was discarded.");
        })
        .catch(function (body) { flash("error", errorText(body, "Could not discard it.")); });
    });
  }

  /* ---- leaving, saving ----------------------------------------------------------- */

  form.addEventListener("submit", function () {
    submitting = true;
    window.clearTimeout(debounceTimer);
  });
  window.addEventListener("beforeunload", function (event) {
    if (!readOnly && !submitting && isDirty()) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) { submitting = false; } // back from the cache after a save
  });

  /* ---- live conflicts: another tab or session saved this strategy ------------------ */

  function refreshConflict() {
    if (!strategyId || !cfg.conflictUrl) { return; }
    post(cfg.conflictUrl, { strategy_id: strategyId, document: textarea.value,
                            format: currentFormat, base_lock_version: lockInput.value })
      .then(function (response) {
        if (response.status === 204) { return; }
        if (!response.ok) { throw { status: response.status }; }
        return response.text().then(function (html) {
          // Rendered and escaped by the server's template.
          conflictSlot.innerHTML = html;
        });
      })
      .catch(function () { /* the banner stays as it was */ });
  }

  function listen() {
    if (!strategyId || readOnly || !window.EventSource || !cfg.eventsUrl) { return; }
    var source = new EventSource(cfg.eventsUrl);
    source.addEventListener("strategy", function (event) {
      var data;
      try { data = JSON.parse(event.data); } catch (error) { return; }
      if (String(data.strategy_id) !== strategyId || submitting) { return; }
      var mine = parseInt(lockInput.value, 10);
      if (isNaN(mine) || !(data.lock_version > mine)) { return; }
      var who = data.by || "someone";
      if (data.event === "deleted") {
        flash("error", "This strategy was deleted by " + who + ". Save yours as a new strategy to keep it.");
      } else {
        // The banner below says when; the flash only says that the text is safe.
        flash("warning", "This strategy was " + data.event + " by " + who + ". Your text is not saved over it.");
      }
      refreshConflict();
    });
  }

  listen();
  renderGutter(lastDiagnostics);
}());
