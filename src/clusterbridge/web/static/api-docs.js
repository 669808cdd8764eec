// /api/docs: Swagger UI (from the fastapi-offline package, served by the app) over the API's schema.
"use strict";

const root = document.getElementById("swagger-ui");

function nameControls() {
  // Swagger UI leaves its server choice without a name for screen readers.
  const servers = document.getElementById("servers");
  if (servers && !servers.hasAttribute("aria-label")) {
    servers.setAttribute("aria-label", "Server");
  }
}

window.ui = SwaggerUIBundle({
  url: root.dataset.openapi,
  domNode: root,
  deepLinking: true,
  onComplete: nameControls,
});
