// Bundles each page's module (src/pages/*.ts) with its imports, SignalR's client and uPlot from node_modules
// included, into ../wwwroot/dist/<page>.js (and <page>.css where a page imports styles). Type checking is tsc's
// (npm run typecheck); esbuild only strips the types.
import { build } from "esbuild";
import { readdirSync } from "node:fs";

const pages = readdirSync("src/pages").filter(f => f.endsWith(".ts")).map(f => "src/pages/" + f);

await build({
  entryPoints: pages,
  outdir: "../wwwroot/dist",
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  minify: true,
  sourcemap: "linked",
  legalComments: "linked",
  logLevel: "warning",
});
