/** npm run build:theme-script: writes the theme's minified script from its source (theme-script.mjs). */
import { writeFileSync } from "node:fs";
import { BUILT, buildThemeScript } from "./theme-script.mjs";

const code = await buildThemeScript();
writeFileSync(BUILT, code);
console.log(`${BUILT}: ${Buffer.byteLength(code)} bytes`);
