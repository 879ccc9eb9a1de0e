import { describe, expect, it } from "vitest";
import { Deadline, withDeadline } from "./deadline.js";

const never = new Promise<never>(() => {});

describe("deadlines on one shared timer", () => {
  it("fires a shorter deadline set after a longer one first (the timer is set again for it)", async () => {
    const long = withDeadline(never, 300, () => "long");
    const short = withDeadline(never, 10, () => "short");
    expect(await Promise.race([long, short])).toBe("short");
    expect(await long).toBe("long");
  });

  it("never fires a deadline whose work settled, and fires the ones still waiting", async () => {
    let fired = 0;
    expect(await withDeadline(Promise.resolve(1), 5, () => ++fired)).toBe(1);
    const deadline = new Deadline(5, () => new Error("cleared"));
    deadline.clear();
    const later = await withDeadline(never, 30, () => "later");
    expect(later).toBe("later");
    expect(fired).toBe(0);
    await expect(new Deadline(5, () => new Error("hung")).race(never)).rejects.toThrow("hung");
  });

  it("runs the other deadlines of a ring when one's handler throws", async () => {
    const throwing = withDeadline(never, 5, () => {
      throw new Error("from the handler");
    });
    const other = withDeadline(never, 5, () => "other");
    await expect(throwing).rejects.toThrow("from the handler");
    expect(await other).toBe("other");
  });
});
