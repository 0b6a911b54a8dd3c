// Test-only: parse GIFT files with gift-pegjs (the PEG.js GIFT grammar of
// https://github.com/fuhrmanator/GIFT-grammar-PEG.js, npm package gift-pegjs).
// Reads {"name": "GIFT text", ...} as JSON on standard input and writes, per name,
// {"questions": [...]} or {"error": "...", "location": {...}} as JSON.
"use strict";
const { parse } = require("gift-pegjs");

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const files = JSON.parse(input);
  const result = {};
  for (const [name, text] of Object.entries(files)) {
    try {
      result[name] = { questions: parse(text) };
    } catch (error) {
      result[name] = { error: String(error.message), location: error.location || null };
    }
  }
  process.stdout.write(JSON.stringify(result));
});
