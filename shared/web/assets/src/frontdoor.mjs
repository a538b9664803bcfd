// Starts GOV.UK Frontend's enhancements. A browser that runs modules runs
// this file and so supports them: the body's classes say so, as the GOV.UK
// page template's inline script would, without an inline script.
import { initAll } from "./govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// A page the browser brings back whole from its back-forward cache (which
// Chromium now does even for no-store pages) is asked for again, so that
// the server decides what it shows: after signing out, the sign-in page,
// not the pages of the session.
window.addEventListener("pageshow", (event) => {
  if (event.persisted) {
    window.location.reload();
  }
});
