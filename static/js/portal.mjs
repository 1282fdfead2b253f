// Progressive enhancement only: every form and page works without this script.
import { initAll } from "../dist/nhsuk-frontend.min.js";

initAll();
