/* KillrVideo page behaviour. Everything here is an enhancement: every page works without it.
 * Loaded from our own origin (the CSP allows no inline script), in <head> and not deferred, so it can mark
 * the page as scripted before first paint and see thumbnails that fail to load. */
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");

  // Thumbnails that cannot load (offline, blocked) show the designed placeholder behind them.
  function markBroken(img) {
    var frame = img.closest(".thumb");
    if (frame) frame.classList.add("is-broken");
  }
  document.addEventListener("error", function (event) {
    var target = event.target;
    if (target instanceof HTMLImageElement && target.closest(".thumb")) markBroken(target);
  }, true);

  function checkImages(scope) {
    scope.querySelectorAll(".thumb img").forEach(function (img) {
      if (img.complete && img.naturalWidth === 0 && img.getAttribute("src")) markBroken(img);
    });
  }

  // Header: on small screens search and menu are panels opened by two buttons.
  function setupHeader() {
    var header = document.querySelector("[data-header]");
    if (!header) return;
    var toggles = header.querySelectorAll("[data-toggle]");
    toggles.forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var name = button.dataset.toggle;
        var opening = !header.classList.contains(name);
        toggles.forEach(function (other) {
          header.classList.remove(other.dataset.toggle);
          other.setAttribute("aria-expanded", "false");
        });
        if (opening) {
          header.classList.add(name);
          button.setAttribute("aria-expanded", "true");
          var focus = button.dataset.focus && header.querySelector(button.dataset.focus);
          if (focus) focus.focus();
        }
      });
    });
    header.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      toggles.forEach(function (button) {
        if (header.classList.contains(button.dataset.toggle)) {
          header.classList.remove(button.dataset.toggle);
          button.setAttribute("aria-expanded", "false");
          button.focus();
        }
      });
    });
  }

  // Account menu (<details>): aria-expanded, closes on Escape and on a click outside it.
  function setupDropdowns() {
    var dropdowns = document.querySelectorAll("details[data-dropdown]");
    dropdowns.forEach(function (details) {
      var summary = details.querySelector("summary");
      summary.setAttribute("aria-expanded", details.open ? "true" : "false");
      details.addEventListener("toggle", function () {
        summary.setAttribute("aria-expanded", details.open ? "true" : "false");
      });
      details.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && details.open) {
          event.stopPropagation();
          details.open = false;
          summary.focus();
        }
      });
    });
    document.addEventListener("click", function (event) {
      dropdowns.forEach(function (details) {
        if (details.open && !details.contains(event.target)) details.open = false;
      });
    });
  }

  // After a failed submit, focus goes to the error summary so it is read out and the errors are one Tab away.
  function focusErrors(scope) {
    var summary = scope.querySelector("[data-focus-on-load]");
    if (summary) summary.focus();
  }

  // Click-to-load player: the YouTube iframe exists only after the viewer asks for it.
  function setupPlayer() {
    document.addEventListener("click", function (event) {
      var facade = event.target.closest("a[data-embed]");
      if (!facade || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
      event.preventDefault();
      var frame = document.createElement("iframe");
      frame.src = facade.dataset.embed;
      frame.title = facade.dataset.title || "Video player";
      frame.allow = "accelerometer; autoplay; encrypted-media; gyroscope; picture-in-picture; fullscreen";
      frame.allowFullscreen = true;
      frame.referrerPolicy = "strict-origin-when-cross-origin";
      facade.replaceWith(frame);
      frame.focus();
    });
  }

  // Confirmation dialogs fetched by htmx (e.g. Delete in Creator Studio) open as modals.
  var opener = null;
  function openDialogs(scope) {
    var dialogs = scope.matches && scope.matches("dialog[data-modal]") ? [scope] : scope.querySelectorAll("dialog[data-modal]");
    dialogs.forEach(function (dialog) {
      if (dialog.open) return;
      dialog.addEventListener("close", function () {
        dialog.remove();
        if (opener && document.contains(opener)) opener.focus();
      });
      dialog.showModal();
    });
  }
  document.addEventListener("click", function (event) {
    var closer = event.target.closest("[data-close-dialog]");
    if (closer) {
      event.preventDefault();
      closer.closest("dialog").close();
      return;
    }
    var trigger = event.target.closest("[hx-get]");
    if (trigger) opener = trigger;
  });

  // htmx swaps only 2xx answers. A form marked data-swap-errors is answered 422/429 with itself again, carrying
  // the message (the server retargets it with HX-Retarget): show that answer rather than drop it.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    var source = (event.detail.requestConfig && event.detail.requestConfig.elt) || event.target;
    if ((status === 422 || status === 429) && source && source.closest("[data-swap-errors]")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    checkImages(document);
    setupHeader();
    setupDropdowns();
    setupPlayer();
    focusErrors(document);
    document.body.addEventListener("htmx:load", function (event) {
      checkImages(event.target);
      openDialogs(event.target);
      focusErrors(event.target);
    });
  });
})();
