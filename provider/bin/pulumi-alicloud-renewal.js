#!/usr/bin/env node
// A committed launcher, so npm can link the command at install time, before dist/ is built.
require("../dist/cli/main.js")
  .main(process.argv.slice(2))
  .then((code) => process.exit(code));
