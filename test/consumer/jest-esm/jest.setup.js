import { expect } from "@jest/globals";
import { matchers } from "workflow-replay/jest";

expect.extend(matchers);
