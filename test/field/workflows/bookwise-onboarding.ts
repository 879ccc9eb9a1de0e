// The JS Mastery "BookWise" onboarding drip (app/api/workflows/onboarding/route.ts), built on Upstash's
// customer-onboarding example and copied into hundreds of public repositories; four variants from four
// of them. The drizzle query and the email clients are in-memory fakes.
import type { FieldWorkflow } from "../field-workflow.js";

const DAY = 24 * 60 * 60 * 1000;
/** Stops the endless drip after about three months of virtual time. */
const until = 100 * DAY;

type UserState = "non-active" | "active";

/** A users table with one row whose last activity is `lastActivityAgo` ms before the run starts. */
function fakeDb(lastActivityAgo: number, start: number) {
  return { lastActivityDate: new Date(start - lastActivityAgo).toISOString() };
}

const START = Date.UTC(2025, 0, 1);

export const bookwiseMinimal: FieldWorkflow = {
  title: "bookwise (4bselyam): the drip with stub state",
  source: { repo: "4bselyam/bookwise", path: "app/api/workflows/onboarding/route.ts", commit: "0e39564fc0847f4b77652dd8f232d893bea8083d" },
  route: () => {
    const sent: string[] = [];
    const sendEmail = async (message: string, _email: string) => void sent.push(message);
    const getUserState = async (): Promise<UserState> => "active";
    return async (context) => {
      const { email } = context.requestPayload as { userId: string; email: string; name: string };
      await context.run("new-signup", async () => {
        await sendEmail("Welcome to our service!", email);
      });
      await context.sleep("wait-for-3-days", 60 * 60 * 24 * 3);
      while (true) {
        const state = await context.run("check-user-state", async () => await getUserState());
        if (state === "non-active") {
          await context.run("send-email-non-active", async () => {
            await sendEmail("Email to non-active users", email);
          });
        } else if (state === "active") {
          await context.run("send-email-active", async () => {
            await sendEmail("Send newsletter to active users", email);
          });
        }
        await context.sleep("wait-for-1-month", 60 * 60 * 24 * 30);
      }
    };
  },
  options: { payload: { userId: "u1", email: "a@x.test", name: "A" }, until },
  bugs: [],
  notes: "check-user-state, send-email-active and wait-for-1-month repeat every month at stable positions: warnings (SDK 1.3.3 matches by position).",
};

function drizzleVariant(repo: string, commit: string, windowed: boolean): FieldWorkflow {
  return {
    title: `bookwise (${repo.split("/")[0]}): the drip reading last activity from the database`,
    source: { repo, path: "app/api/workflows/onboarding/route.ts", commit },
    route: () => {
      const row = fakeDb(10 * DAY, START);
      const db = { select: () => ({ from: () => ({ where: () => ({ limit: async () => [row] }) }) }) };
      const sent: string[] = [];
      const sendEmail = async (m: { subject: string }) => void sent.push(m.subject);
      const THREE_DAYS_IN_MS = 3 * DAY;
      const THIRTY_DAYS_IN_MS = 30 * DAY;
      const getUserState = async (_email: string): Promise<UserState> => {
        const user = await db.select().from().where().limit();
        if (user.length === 0) return "non-active";
        const lastActivityDate = new Date(user[0]!.lastActivityDate);
        const now = new Date();
        const timeDifference = now.getTime() - lastActivityDate.getTime();
        if (windowed ? timeDifference > THREE_DAYS_IN_MS && timeDifference <= THIRTY_DAYS_IN_MS : timeDifference > THIRTY_DAYS_IN_MS) return "non-active";
        return "active";
      };
      return async (context) => {
        const { email, fullName } = context.requestPayload as { email: string; fullName: string };
        await context.run("new-signup", async () => {
          await sendEmail({ subject: `Welcome ${fullName}!` });
        });
        await context.sleep("wait-for-3-days", 60 * 60 * 24 * 3);
        while (true) {
          const state = await context.run("check-user-state", async () => await getUserState(email));
          if (state === "non-active") {
            await context.run("send-email-non-active", async () => {
              await sendEmail({ subject: "Are you still there?" });
            });
          } else if (state === "active") {
            await context.run("send-email-active", async () => {
              await sendEmail({ subject: "Welcome back!" });
            });
          }
          await context.sleep("wait-for-1-month", 60 * 60 * 24 * 30);
        }
      };
    },
    options: { payload: { email: "a@x.test", fullName: "Ada" }, startTime: START, until },
    bugs: [],
    notes: "The state flips from non-active to active as virtual months pass (new Date() inside the step): the branch changes between months, and the stable duplicates are warnings.",
  };
}

export const bookwiseLeos = drizzleVariant("Charzy-1/leos-crypto-exchange-app", "0f93e96b5a46c659ea3fa8210e084fd4344dbf01", true);
export const bookwiseMovies = drizzleVariant("MetalHuman38/movie-recommender", "cfb6ce91c9c1d83df587050f4893ea37f721c266", true);

export const wfRegistration: FieldWorkflow = {
  title: "wf-registration-system (Jadontalis): one mock welcome step",
  source: { repo: "Jadontalis/wf-registration-system", path: "app/api/workflows/onboarding/route.ts", commit: "fd5c73e25a7f97bb6d3c2797fcf24045b80178b3" },
  route: () => async (context) => {
    const { email } = context.requestPayload as { email: string; fullName: string };
    await context.run("send-welcome-email", async () => ({ sent: true, email }));
  },
  options: { payload: { email: "a@x.test", fullName: "Ada" } },
  bugs: [],
  notes: "No finding expected.",
};
