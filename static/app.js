// Winback's small script. Pages work without it; this only adds comfort.
(function () {
  "use strict";

  // A request that never reached the server (network down, server stopped) gets a message
  // in the flash region, since there is no response to swap.
  document.addEventListener("htmx:error", function (event) {
    var ctx = event.detail && event.detail.ctx;
    if (ctx && ctx.response) return; // the server answered; its response was swapped
    var flash = document.getElementById("flash");
    if (!flash) return;
    var alert = document.createElement("div");
    alert.className = "alert alert-error";
    alert.setAttribute("role", "alert");
    alert.textContent = "Winback could not be reached. Check your connection and try again; nothing was saved.";
    flash.replaceChildren(alert);
  });

  // Select the whole one-time link when the field gets focus, ready to copy.
  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches("[data-select-on-focus]")) {
      event.target.select();
    }
  });

  // Close the user menu when clicking elsewhere.
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.user-menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) menu.removeAttribute("open");
    });
  });
})();
