// The strategy list follows the user's changes from any tab or device: each event on
// /strategies/events reloads the table fragment through htmx.
(function () {
  "use strict";

  var REFRESH_DELAY_MS = 300;

  if (window.htmx) {
    // htmx would otherwise add an inline <style>, which the Content-Security-Policy refuses.
    window.htmx.config.includeIndicatorStyles = false;
  }

  var page = document.getElementById("strategy-index");
  if (!page || !window.EventSource || !window.htmx) {
    return;
  }

  var timer = null;

  function refresh() {
    timer = null;
    window.htmx.ajax("GET", window.location.href, {target: "#strategy-table", swap: "outerHTML"});
  }

  // EventSource reconnects by itself after the server's retry delay.
  var source = new EventSource(page.getAttribute("data-events-url") || "/strategies/events");

  // "ready" comes once the server has subscribed; "open" only means headers arrived.
  source.addEventListener("ready", function () {
    page.setAttribute("data-live", "on");
  });

  source.addEventListener("error", function () {
    page.setAttribute("data-live", source.readyState === EventSource.CLOSED ? "off" : "reconnecting");
  });

  source.addEventListener("strategy", function (event) {
    var detail = null;
    try {
      detail = JSON.parse(event.data);
    } catch (ignored) {
      // A malformed message still means something changed.
    }
    document.dispatchEvent(new CustomEvent("strategy:event", {detail: detail}));
    // Several changes in a row (a bulk archive, two tabs) cost one reload.
    if (timer !== null) {
      window.clearTimeout(timer);
    }
    timer = window.setTimeout(refresh, REFRESH_DELAY_MS);
  });

  window.addEventListener("pagehide", function () {
    source.close();
  });
})();
