// /api/docs: Swagger UI (from the fastapi-offline package, served by the app) over the API's schema.
"use strict";

const root = document.getElementById("swagger-ui");

function name(field, text) {
  if (!field.hasAttribute("aria-label") && !(field.labels && field.labels.length)) {
    field.setAttribute("aria-label", text);
  }
}

function nameControls() {
  // Swagger UI leaves its server choice, a tried-out operation's parameter fields (a
  // placeholder alone) and its request body without a name for screen readers.
  // The server choice sits in a label of no text.
  const servers = document.getElementById("servers");
  if (servers && !servers.hasAttribute("aria-label")) {
    servers.setAttribute("aria-label", "Server");
  }
  for (const row of root.querySelectorAll("tr[data-param-name]")) {
    const where = row.dataset.paramIn ? ` (${row.dataset.paramIn})` : "";
    for (const field of row.querySelectorAll("input, select, textarea")) {
      name(field, `${row.dataset.paramName}${where}`);
    }
  }
  for (const body of root.querySelectorAll("textarea.body-param__text")) {
    name(body, "Request body");
  }
}

window.ui = SwaggerUIBundle({
  url: root.dataset.openapi,
  domNode: root,
  deepLinking: true,
  onComplete: nameControls,
});
// The fields appear when an operation is opened or tried out.
new MutationObserver(nameControls).observe(root, { childList: true, subtree: true });
