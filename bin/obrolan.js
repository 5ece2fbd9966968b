#!/usr/bin/env node
// The `obrolan` command: src/cli, built into dist/cli.js.
import "../dist/cli.js"
