/* Tag autocomplete: the ARIA 1.2 combobox pattern (list autocomplete) for inputs with data-suggest-url.
 * Without JavaScript those inputs are plain inputs. Options come from the server as an HTML fragment of
 * <li role="option" data-value="..."> (escaped by Django), fetched 200 ms after the last keystroke.
 * data-suggest-list: the input holds comma-separated tags and only its last tag is completed. */
(function () {
  "use strict";
  var DELAY_MS = 200;

  function setup(input) {
    var list = document.createElement("ul");
    var isList = input.hasAttribute("data-suggest-list");
    var timer = null;
    var active = -1;
    var seq = 0;
    list.id = input.id + "-listbox";
    list.className = "combobox-listbox";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Tag suggestions");
    list.hidden = true;
    input.insertAdjacentElement("afterend", list);
    input.parentElement.classList.add("combobox");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("autocomplete", "off");

    function options() { return Array.prototype.slice.call(list.querySelectorAll('[role="option"]')); }

    function close() {
      list.hidden = true;
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      var all = options();
      all.forEach(function (option, i) { option.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (index >= 0 && all[index]) {
        input.setAttribute("aria-activedescendant", all[index].id);
        all[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function term() {
      return isList ? input.value.split(",").pop().trim() : input.value.trim();
    }

    function fetchOptions() {
      var text = term();
      if (!text) { close(); return; }
      var url = new URL(input.dataset.suggestUrl, window.location.href);
      url.searchParams.set("q", text);
      url.searchParams.set("listbox", list.id);
      var mine = ++seq;
      fetch(url, { headers: { "HX-Request": "true" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : ""; })
        .then(function (html) {
          if (mine !== seq) return; // an older answer arriving late
          list.innerHTML = html;
          active = -1;
          if (options().length && document.activeElement === input) {
            list.hidden = false;
            input.setAttribute("aria-expanded", "true");
          } else {
            close();
          }
        })
        .catch(close);
    }

    function choose(option) {
      var value = option.dataset.value;
      if (isList) {
        var parts = input.value.split(",");
        parts[parts.length - 1] = (parts.length > 1 ? " " : "") + value;
        input.value = parts.join(",") + ", ";
        close();
        input.focus();
        return;
      }
      input.value = value;
      close();
      if (input.form) input.form.requestSubmit ? input.form.requestSubmit() : input.form.submit();
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchOptions, DELAY_MS);
    });
    input.addEventListener("keydown", function (event) {
      var count = options().length;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (list.hidden) { if (count) { list.hidden = false; input.setAttribute("aria-expanded", "true"); } else { fetchOptions(); } }
        if (!count) return;
        event.preventDefault();
        var step = event.key === "ArrowDown" ? 1 : -1;
        highlight(active < 0 ? (step > 0 ? 0 : count - 1) : (active + step + count) % count);
      } else if (event.key === "Enter" && !list.hidden && active >= 0) {
        event.preventDefault();
        choose(options()[active]);
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        event.stopPropagation();
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
    // mousedown (not click) so the input keeps focus and blur does not close the list first.
    list.addEventListener("mousedown", function (event) {
      var option = event.target.closest('[role="option"]');
      if (!option) return;
      event.preventDefault();
      choose(option);
    });
  }

  function init() {
    document.querySelectorAll("input[data-suggest-url]").forEach(function (input) {
      if (!input.id || input.dataset.comboboxReady) return;
      input.dataset.comboboxReady = "1";
      setup(input);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
  document.addEventListener("htmx:afterSettle", init);
})();
