// Framing Lab progressive enhancement. Every page works without this file; code here may
// only make things nicer (e.g. click-to-mark in lessons). Loaded with `defer`, no inline JS.
"use strict";
