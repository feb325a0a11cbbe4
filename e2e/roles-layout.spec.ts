import { AxeBuilder } from "@axe-core/playwright";
import { expect, type Page, test } from "@playwright/test";
import {
  type Account,
  adminAccount,
  type Belongings,
  createAccount,
  giveBelongings,
  signIn,
} from "./support/belongings.js";

/**
 * Every page each role can reach, on a laptop and on a phone: nothing lays out wider than the
 * window, and axe finds nothing serious or critical. The pages are listed by hand, so a new
 * page must be added here to be checked.
 */

const SIZES = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
} as const;

type Role = "anonymous" | "guest" | "user" | "admin";

interface Visit {
  path: string;
  /** The page's main heading, so the check runs on the page, not on a loading state. */
  heading: RegExp;
}

function pagesFor(role: Role, own: Belongings): Visit[] {
  const anonymous: Visit[] = [
    { path: "/", heading: /Gantry/ },
    { path: "/login", heading: /Sign in/ },
    { path: "/signup", heading: /Sign up|Create/ },
    { path: "/forgot-password", heading: /password/i },
    { path: "/no/such/page", heading: /Page not found/ },
  ];
  const signedIn: Visit[] = [
    { path: "/", heading: /Home/ },
    { path: "/profile", heading: /profile/i },
    { path: "/payments", heading: /Payments/ },
    { path: "/datasets", heading: /Data sets/ },
    { path: `/datasets/${own.datasetId}`, heading: /City sales/ },
    { path: "/pipelines", heading: /Pipelines/ },
    { path: `/pipelines/${own.pipelineId}`, heading: /Big sales/ },
    { path: "/runs", heading: /runs/i },
  ];
  const maker: Visit[] = [
    { path: `/payments/${own.paymentId}`, heading: /Payment/ },
    { path: "/pipelines/new", heading: /New pipeline/ },
  ];
  const admin: Visit[] = [
    { path: "/admin/users", heading: /Users/ },
    { path: "/admin/audit", heading: /Audit/ },
    { path: "/admin/ledger", heading: /Ledger/ },
    { path: "/admin/status", heading: /Status/ },
  ];
  switch (role) {
    case "anonymous":
      return anonymous;
    case "guest":
      return signedIn;
    case "user":
      return [...signedIn, ...maker];
    case "admin":
      return [...signedIn, ...maker, ...admin];
  }
}

async function expectNoHorizontalOverflow(page: Page, path: string) {
  const widths = await page.evaluate("({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth })");
  const { scroll, inner } = widths as { scroll: number; inner: number };
  expect(scroll, `${path} lays out ${scroll}px wide in a ${inner}px window`).toBeLessThanOrEqual(inner);
}

async function expectNoSeriousAxeFindings(page: Page, path: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`);
  expect(serious, `axe on ${path}`).toEqual([]);
}

for (const [sizeName, viewport] of Object.entries(SIZES)) {
  test.describe(`every page at ${sizeName} size (${viewport.width}px)`, () => {
    test.use({ viewport, colorScheme: "light" });

    let own: Belongings;
    const accounts = {} as Record<Exclude<Role, "anonymous">, Account>;

    test.beforeAll(async ({ request }) => {
      accounts.user = await createAccount(request, "user", "Layout User");
      accounts.guest = await createAccount(request, "guest", "Layout Guest");
      accounts.admin = await adminAccount(request);
      own = await giveBelongings(request, accounts.user.token);
    });

    for (const role of ["anonymous", "guest", "user", "admin"] as const) {
      test(`as ${role}`, async ({ page }) => {
        test.setTimeout(400_000);
        if (role === "admin") {
          // The admin's own things: the user's are other people's for a guest, but an admin reaches them too.
          await signIn(page, accounts.admin);
        } else if (role !== "anonymous") {
          await signIn(page, accounts[role]);
        }
        for (const visit of pagesFor(role, own)) {
          await page.goto(visit.path);
          await expect(page.getByRole("heading", { level: 1, name: visit.heading })).toBeVisible();
          // Wait for the page's data: no busy region left.
          await expect(page.locator("[aria-busy=true]")).toHaveCount(0);
          await expectNoHorizontalOverflow(page, visit.path);
          await expectNoSeriousAxeFindings(page, visit.path);
        }
      });
    }
  });
}
