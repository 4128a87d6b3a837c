// Winback's small script. Pages work without it; this only adds comfort.
(function () {
  "use strict";

  function showMessage(text, category) {
    var flash = document.getElementById("flash");
    if (!flash) return;
    var alert = document.createElement("div");
    alert.className = "alert alert-" + (category || "success");
    if (category === "error") alert.setAttribute("role", "alert");
    alert.textContent = text;
    flash.replaceChildren(alert);
  }

  // A request that never reached the server (network down, server stopped) gets a message,
  // since there is no response to swap.
  document.addEventListener("htmx:error", function (event) {
    var ctx = event.detail && event.detail.ctx;
    if (ctx && ctx.response) return; // the server answered; its response was swapped
    showMessage("Winback could not be reached. Check your connection and try again; nothing was saved.", "error");
  });

  // Tell the server which regions hold an open editor (data-editing="<region>"): a response
  // that refreshes regions leaves those alone, so nothing being typed there is replaced.
  document.addEventListener("htmx:config:request", function (event) {
    var open = [];
    document.querySelectorAll("form[data-editing]").forEach(function (form) {
      open.push(form.getAttribute("data-editing"));
    });
    if (open.length) event.detail.ctx.request.headers["X-Editing-Regions"] = open.join(",");
  });

  // A server response can ask for a message: HX-Trigger {"flash": {"message": "…"}}.
  document.addEventListener("flash", function (event) {
    if (event.detail && event.detail.message) {
      showMessage(event.detail.message, event.detail.category);
    }
  });

  // Select the whole one-time link when the field gets focus, ready to copy.
  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches("[data-select-on-focus]")) {
      event.target.select();
    }
  });

  // "Select all" ticks every row of the table it heads.
  document.addEventListener("change", function (event) {
    if (!event.target.matches || !event.target.matches("[data-check-all]")) return;
    var table = event.target.closest("table");
    table.querySelectorAll("tbody input[type=checkbox]").forEach(function (box) {
      box.checked = event.target.checked;
    });
  });

  // Close the user menu when clicking elsewhere.
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.user-menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) menu.removeAttribute("open");
    });
  });
  // Copy buttons: data-copy="#id" copies that element's text. They are hidden until this
  // script marks the page, so without JavaScript the text is simply there to select.
  document.documentElement.classList.add("js");

  function copyBySelecting(source) {
    // navigator.clipboard only exists on HTTPS or localhost; an intranet over plain HTTP
    // still allows copying the selection.
    var range = document.createRange();
    range.selectNodeContents(source);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    var copied = false;
    try { copied = document.execCommand("copy"); } catch (error) { copied = false; }
    if (copied) selection.removeAllRanges();
    return copied ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-copy]");
    if (!button) return;
    var source = document.querySelector(button.getAttribute("data-copy"));
    if (!source) return;
    var copying = navigator.clipboard && window.isSecureContext
      ? navigator.clipboard.writeText(source.textContent).catch(function () { return copyBySelecting(source); })
      : copyBySelecting(source);
    copying.then(function () {
      if (!button.dataset.label) button.dataset.label = button.textContent;
      button.textContent = "Copied";
      button.classList.add("is-copied");
      clearTimeout(button.copyTimer);
      button.copyTimer = setTimeout(function () {
        button.textContent = button.dataset.label;
        button.classList.remove("is-copied");
      }, 2000);
    }, function () {
      showMessage("The browser did not allow copying. The text is selected: press Ctrl+C (⌘C on a Mac).", "warning");
    });
  });
})();

// Interviews: the run view's clock, and notes that are saved as they are typed.
(function () {
  "use strict";

  function minutesSeconds(total) {
    var minutes = Math.floor(total / 60);
    var seconds = total % 60;
    return (minutes < 10 ? "0" : "") + minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
  }

  // The clock counts from the start time the server gives, measured against the server's own
  // clock, so a computer whose clock is wrong still shows the right elapsed time.
  function tick() {
    document.querySelectorAll("[data-started-at]").forEach(function (clock) {
      if (clock.skew === undefined) clock.skew = Date.parse(clock.dataset.serverNow) - Date.now();
      var started = Date.parse(clock.dataset.startedAt);
      var elapsed = Math.max(0, Math.floor((Date.now() + clock.skew - started) / 1000));
      var left = Number(clock.dataset.budgetSeconds) - elapsed;
      clock.querySelector("[data-elapsed]").textContent = minutesSeconds(elapsed);
      clock.querySelector("[data-left]").textContent =
        left >= 0 ? minutesSeconds(left) + " left" : minutesSeconds(-left) + " over budget";
      clock.classList.toggle("is-over", left < 0);
    });
  }
  setInterval(tick, 1000);

  function isNoteBox(element) {
    return element && element.matches && element.matches("[data-autosave]");
  }

  function serverText(box) {
    return box.savedText !== undefined ? box.savedText : box.defaultValue;
  }

  function showUnsaved(box, text) {
    var status = document.getElementById(box.id + "-status");
    if (!status) return;
    status.textContent = text;
    status.classList.add("is-error");
    status.setAttribute("role", "alert");
  }

  // Keep track of the text the server has, to know what is still unsaved. (A refused save,
  // such as a note over the length limit, comes back as the status line itself.)
  document.addEventListener("htmx:after:request", function (event) {
    var box = event.target;
    if (!isNoteBox(box)) return;
    var ctx = event.detail.ctx;
    var body = ctx.request && ctx.request.body;
    if (ctx.response.status < 300 && body && body.get) box.savedText = body.get(box.name);
    if (ctx.response.status >= 500) showUnsaved(box, "Not saved: the server had a problem. Keep typing to try again.");
  });

  document.addEventListener("htmx:error", function (event) {
    if (isNoteBox(event.target)) {
      showUnsaved(event.target, "Not saved: Winback could not be reached. Keep typing to try again.");
    }
  });

  // Leaving or closing the page sends whatever was typed since the last save.
  window.addEventListener("pagehide", function () {
    document.querySelectorAll("form[data-notes-form]").forEach(function (form) {
      var data = new FormData();
      form.querySelectorAll("[data-autosave]").forEach(function (box) {
        if (box.value !== serverText(box)) data.append(box.name, box.value);
      });
      if (!data.keys().next().done) {
        data.append("csrf_token", form.querySelector("[name=csrf_token]").value);
        data.append("quiet", "1");
        navigator.sendBeacon(form.action, data);
      }
    });
  });
})();

// Plan print view: the "Print" link opens the browser's print dialog (without JavaScript it
// simply reloads the printable page, which the browser's own Print command prints).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-print]");
    if (!link) return;
    event.preventDefault();
    window.print();
  });
})();
