// Starts GOV.UK Frontend's enhancements. A browser that runs modules runs
// this file and so supports them: the body's classes say so, as the GOV.UK
// page template's inline script would, without an inline script.
import { initAll } from "./govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
