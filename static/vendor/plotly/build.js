/* Builds plotly-sourcewise.min.js beside this file: plotly.js with only the trace types
 * Sourcewise draws (scatter, bar, heatmap, sunburst, waterfall), built the way plotly.js
 * builds its own partial bundles (esbuild, minified, an IIFE assigning window.Plotly).
 * Usage is in README.md beside this file. */
"use strict";

const fs = require("fs");
const path = require("path");

const from = { paths: [process.cwd()] };
const esbuild = require(require.resolve("esbuild", from));
const plotlyDir = path.dirname(require.resolve("plotly.js/package.json", from));
const { version } = require(path.join(plotlyDir, "package.json"));

// scatter is registered by plotly.js's core; the others are the types our figures use.
const TRACES = ["bar", "heatmap", "sunburst", "waterfall"];
const OUT = path.join(__dirname, "plotly-sourcewise.min.js");

const entry = [
  "'use strict';",
  "var Plotly = require('plotly.js/lib/core');",
  `Plotly.register([${TRACES.map((t) => `require('plotly.js/lib/${t}')`).join(", ")}]);`,
  "module.exports = Plotly;",
].join("\n");

const header = `/**
* plotly.js (Sourcewise partial bundle: scatter, ${TRACES.join(", ")} - minified) v${version}
* Copyright 2012-2026, Plotly, Inc.
* All rights reserved.
* Licensed under the MIT license (LICENSE beside this file)
*/
(
 function(root, factory) {
  if (typeof module === "object" && module.exports) {
   module.exports = factory();
  } else {
   root.moduleName = factory();
  }
} (typeof self !== "undefined" ? self : this, () => {`;

esbuild.buildSync({
  stdin: { contents: entry, resolveDir: process.cwd(), sourcefile: "index-sourcewise.js" },
  outfile: OUT,
  format: "iife",
  globalName: "Plotly",
  bundle: true,
  minify: true,
  sourcemap: false,
  legalComments: "eof",
  // MapLibre's stylesheet is required only when a map trace registers: none does here.
  loader: { ".css": "empty" },
  define: { global: "window", "define.amd": "false", "process.env.NODE_DEBUG": "false" },
  target: "es2016",
  banner: { js: header },
  footer: { js: "\nwindow.Plotly = Plotly;\nreturn Plotly;\n}));" },
  logLevel: "warning",
});
console.log(`${OUT}: plotly.js ${version}, ${fs.statSync(OUT).size} bytes`);
