// Progressive enhancement only: every page works without this file.
"use strict";

function describeLeft(milliseconds) {
  const closed = milliseconds <= 0;
  let seconds = Math.floor(Math.abs(milliseconds) / 1000);
  const days = Math.floor(seconds / 86400);
  seconds -= days * 86400;
  const hours = Math.floor(seconds / 3600);
  seconds -= hours * 3600;
  const minutes = Math.floor(seconds / 60);
  seconds -= minutes * 60;
  const span = days > 0 ? `${days} d ${hours} h ${minutes} min` : `${hours} h ${minutes} min ${seconds} s`;
  return closed ? `closed ${span} ago` : `${span} left`;
}

function tickCountdowns() {
  for (const element of document.querySelectorAll("[data-countdown]")) {
    const deadline = Date.parse(element.dataset.countdown);
    if (!Number.isNaN(deadline)) {
      element.textContent = describeLeft(deadline - Date.now());
    }
  }
}

document.addEventListener("DOMContentLoaded", () => {
  if (document.querySelector("[data-countdown]")) {
    tickCountdowns();
    setInterval(tickCountdowns, 1000);
  }
});

// The main menu is open in the page (so it works without this file); on a phone it starts
// folded, and it unfolds again when the window grows wide.
const NARROW = window.matchMedia("(max-width: 760px)");
document.documentElement.classList.add("js");

function fitMenu() {
  const menu = document.querySelector("[data-nav-menu]");
  if (menu) {
    menu.open = !NARROW.matches;
  }
}

document.addEventListener("DOMContentLoaded", fitMenu);
NARROW.addEventListener("change", fitMenu);

// On a phone, Escape folds the unfolded menu when the focus is in it, and the focus goes back
// to its button (a disclosure's usual keyboard behaviour). On a wide window the menu stays.
document.addEventListener("keydown", (event) => {
  const menu = document.querySelector("[data-nav-menu]");
  if (event.key !== "Escape" || !menu?.open || !NARROW.matches) {
    return;
  }
  if (!menu.contains(document.activeElement)) {
    return;
  }
  menu.open = false;
  menu.querySelector("summary")?.focus();
});

// An htmx action the server refuses (403, 404, 409, a server error) or cannot be sent: htmx
// swaps nothing, so the reason is shown at the top of the page (the server answers htmx with
// the error's fragment). A 422 is the form again with its reasons: htmx swaps it in place.
function showHtmxError(html) {
  const main = document.getElementById("main");
  if (!main) {
    return;
  }
  let box = document.querySelector("[data-testid='htmx-error']");
  if (!box) {
    box = document.createElement("div");
    box.dataset.testid = "htmx-error";
    box.setAttribute("role", "alert");
    main.prepend(box);
  }
  box.innerHTML = html;
  box.scrollIntoView({ block: "nearest" });
}

function plainNotice(text) {
  const notice = document.createElement("div");
  notice.className = "notice error";
  const line = document.createElement("p");
  line.textContent = text;
  notice.append(line);
  return notice.outerHTML;
}

document.addEventListener("htmx:responseError", (event) => {
  const xhr = event.detail.xhr;
  if (xhr.status === 422) {
    return;
  }
  const text = xhr.responseText || "";
  showHtmxError(text.trim().startsWith("<") ? text : plainNotice(text || `The server answered ${xhr.status}.`));
});

document.addEventListener("htmx:sendError", () => {
  showHtmxError(plainNotice("The server could not be reached: check the connection and try again."));
});

document.addEventListener("htmx:beforeRequest", () => {
  document.querySelector("[data-testid='htmx-error']")?.remove();
});

// A list of choices that a search replaces (data-keep-checked: the organisations of an event's
// registration form) keeps the choice ticked in it: ticked again in the new list, or, when the
// new search does not find it, first in the list (above "No organisation matches"), so a search
// never unticks what was chosen.
let keptChoice = null;

document.addEventListener("htmx:beforeSwap", (event) => {
  const target = event.detail.target;
  const checked = target?.matches?.("[data-keep-checked]") ? target.querySelector("input:checked") : null;
  keptChoice = checked ? { id: target.id, input: checked, label: checked.closest("label") } : null;
});

document.addEventListener("htmx:afterSwap", () => {
  const kept = keptChoice;
  keptChoice = null;
  const list = kept ? document.getElementById(kept.id) : null;
  if (!list) {
    return;
  }
  const same = [...list.querySelectorAll("input")].find(
    (input) => input.name === kept.input.name && input.value === kept.input.value,
  );
  if (same) {
    same.checked = true;
  } else {
    list.prepend(kept.label);
    kept.input.checked = true;
  }
});

// A builder proposal's eligibility report is open on a wide screen (the first one, where a
// person reads it first); on a phone it is folded, like the rest of the long detail. The
// proposals arrive by htmx (the job's panel), so this runs after each swap too.
function foldReportsOnPhones() {
  if (NARROW.matches) {
    for (const report of document.querySelectorAll("details.proposal-report[open]")) {
      report.open = false;
    }
  }
}

document.addEventListener("DOMContentLoaded", foldReportsOnPhones);
document.addEventListener("htmx:afterSettle", foldReportsOnPhones);

// A form sent by htmx whose answer replaces the button pressed (a refused request to manage a
// record, beside its field, without a summary) would leave the focus on the page's body: it
// goes to the first field the answer marks invalid. An answer with a summary leaves it to the
// summary (focusErrorSummary); a focus still in place stays.
function focusRefusedField(event) {
  const lost = !document.activeElement || document.activeElement === document.body;
  if (!lost || event.detail.requestConfig?.verb !== "post") {
    return;
  }
  const target = event.detail.target;
  const scope = target?.isConnected ? target : document;
  if (!scope.querySelector("[data-error-summary]")) {
    scope.querySelector("[aria-invalid='true']")?.focus();
  }
}

document.addEventListener("htmx:afterSettle", focusRefusedField);

// An action sent by htmx whose answer replaces the button pressed (accepting a request on "My
// requests", requesting a meeting from a participant's card) would leave the focus on the
// page's body: it goes to the answer's line saying what was done (marked data-takes-focus), so
// a keyboard or screen-reader user hears it and carries on from there.
function focusWhatWasDone(event) {
  const lost = !document.activeElement || document.activeElement === document.body;
  if (!lost || event.detail.requestConfig?.verb !== "post") {
    return;
  }
  const target = event.detail.target;
  const scope = target?.isConnected ? target : document;
  // Once focused the line is marked no more: a later answer elsewhere on the page takes it.
  const line = scope.querySelector("[data-takes-focus]");
  line?.removeAttribute("data-takes-focus");
  line?.focus();
}

document.addEventListener("htmx:afterSettle", focusWhatWasDone);

// Back and Forward restore a page that htmx saved as HTML, where a search box shows the words
// the page was first drawn with, not those typed since: a form whose results go into the
// address (hx-push-url) takes its words from the address again. Its checkboxes were drawn for
// that address and are right as saved.
function showSearchOfAddress() {
  const address = new URLSearchParams(window.location.search);
  for (const box of document.querySelectorAll("form[hx-push-url] input[type='search'][name]")) {
    box.value = address.get(box.name) ?? "";
  }
}

document.addEventListener("htmx:historyRestore", showSearchOfAddress);

// A refused form's summary, or a page's refusal box (templates/_form_errors.html), takes the
// focus when its page or the htmx fragment that holds it arrives, so a keyboard or screen-reader
// user starts at the list of problems; a problem's link moves the focus to its field. A summary
// focused once is marked, so that another swap on the page does not take the focus back to it.
// A box marked data-leaves-focus (the registry's results, swapped while the user types in the
// search box) never takes it.
function focusErrorSummary() {
  const summary = document.querySelector("[data-error-summary]:not([data-focused], [data-leaves-focus])");
  for (const shown of document.querySelectorAll("[data-error-summary]")) {
    shown.dataset.focused = "";
  }
  summary?.focus();
}

// The field of a problem: the one its error (beside it) describes (of a group of choices, the
// one ticked, where the keyboard enters the group), else the one with the problem's key as id or
// name; searched from the summary outwards (a page may hold one form per card, each with its own
// summary).
function fieldOfProblem(summary, key) {
  const controls = "input:not([type='hidden']), select, textarea, button";
  for (let scope = summary.parentElement; scope; scope = scope.parentElement) {
    const error = scope.querySelector(`[data-testid="error-${CSS.escape(key)}"][id]`);
    const describedBy = error && `[aria-describedby~="${CSS.escape(error.id)}"]`;
    const described = error && (scope.querySelector(`${describedBy}:checked`) || scope.querySelector(describedBy));
    const field = described || scope.querySelector(`#${CSS.escape(key)}, [name="${CSS.escape(key)}"]`);
    if (field?.matches(controls)) {
      return field;
    }
  }
  return null;
}

document.addEventListener("click", (event) => {
  const link = event.target.closest?.("[data-error-summary] a[data-field]");
  const field = link && fieldOfProblem(link.closest("[data-error-summary]"), link.dataset.field);
  if (!field) {
    return;
  }
  event.preventDefault();
  // The field's question (a group's legend, else its label) is shown above it, then focused.
  const choice = field.matches("[type='radio'], [type='checkbox']");
  const question = (choice && field.closest("fieldset")?.querySelector("legend")) || field.labels?.[0];
  (question || field).scrollIntoView({ block: "start" });
  field.focus({ preventScroll: true });
});

document.addEventListener("DOMContentLoaded", focusErrorSummary);
document.addEventListener("htmx:afterSettle", focusErrorSummary);
