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
})();
