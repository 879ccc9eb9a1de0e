// jest's native ESM mode: no transform, run with NODE_OPTIONS=--experimental-vm-modules.
/** @type {import("jest").Config} */
export default {
  testEnvironment: "node",
  transform: {},
  setupFilesAfterEnv: ["<rootDir>/jest.setup.js"],
};
