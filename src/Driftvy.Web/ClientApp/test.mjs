// The front-end unit tests: bundles test/*.test.ts for node (esbuild strips the types; `npm run typecheck` checks
// them) into .test-out/, then runs them with node's own test runner. With `--junit FILE` the results are also
// written as JUnit XML (CI counts them with the .NET tests).
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { dirname, resolve } from "node:path";

const junitAt = process.argv.indexOf("--junit");
const junit = junitAt > 0 ? resolve(process.argv[junitAt + 1]) : null;

const tests = readdirSync("test").filter(f => f.endsWith(".test.ts")).map(f => "test/" + f);
rmSync(".test-out", { recursive: true, force: true });
await build({
  entryPoints: tests,
  outdir: ".test-out",
  outExtension: { ".js": ".mjs" },
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: "inline",
  packages: "external",
  logLevel: "warning",
});

const files = readdirSync(".test-out").filter(f => f.endsWith(".test.mjs")).map(f => ".test-out/" + f);
const args = ["--test", "--test-reporter=spec", "--test-reporter-destination=stdout"];
if (junit) {
  mkdirSync(dirname(junit), { recursive: true });
  args.push("--test-reporter=junit", "--test-reporter-destination=" + junit);
}
// The tests run in a zone far from Stockholm's, where any time formatted in the machine's zone instead of
// Stockholm's would show as a wrong hour or day.
const run = spawnSync(process.execPath, [...args, ...files], { stdio: "inherit", env: { ...process.env, TZ: "America/Los_Angeles" } });
process.exit(run.status ?? 1);
