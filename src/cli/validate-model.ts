#!/usr/bin/env node
import { runValidate } from './validate.js';

process.exitCode = runValidate(
  process.argv.slice(2),
  (s) => console.log(s),
  (s) => console.error(s),
);
