// Progressive enhancement only: every form and page works without this script.
import { initAll } from "../dist/nhsuk-frontend.min.js";

initAll();

// A list's filters sit behind a disclosure so that on a phone the list comes first (templates/includes/forms.html);
// on a screen wide enough for them to sit beside or above the list, they start open. The NHS.UK desktop breakpoint.
if (window.matchMedia("(min-width: 48.0625em)").matches) {
  for (const details of document.querySelectorAll("details[data-open-on-wide-screens]")) {
    details.open = true;
  }
}
