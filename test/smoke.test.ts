import { expect, it } from "vitest";
it("cannot generate code from strings", () => {
  expect(() => new Function("return 1")).toThrow();
});
