// The fast path's build (`npm test`): the same bundles as tsup.config.ts without the type
// declarations, which take most of the build's time. `npm run build` and `npm run test:full`
// (CI, the packed-install test) build everything.
import { defineConfig } from "tsup";
import base from "./tsup.config.js";

export default defineConfig({ ...(base as object), dts: false });
