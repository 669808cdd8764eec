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
