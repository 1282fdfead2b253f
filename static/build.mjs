// Builds static/dist/: our stylesheet compiled with the NHS.UK frontend (system fonts, no web-font
// downloads, so pages work offline), and the NHS.UK script and assets it refers to.
import { compile } from "sass";
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const nhsuk = join(root, "node_modules", "nhsuk-frontend", "dist", "nhsuk");
const dist = join(here, "dist");

mkdirSync(dist, { recursive: true });
const css = compile(join(here, "scss", "portal.scss"), {
  loadPaths: [join(root, "node_modules")],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(join(dist, "portal.css"), css.css);
cpSync(join(nhsuk, "nhsuk-frontend.min.js"), join(dist, "nhsuk-frontend.min.js"));
cpSync(join(nhsuk, "nhsuk-frontend.min.js.map"), join(dist, "nhsuk-frontend.min.js.map"));
cpSync(join(nhsuk, "assets"), join(dist, "nhsuk", "assets"), { recursive: true });
console.log(`static/dist built: portal.css ${Math.round(css.css.length / 1024)} kB`);
