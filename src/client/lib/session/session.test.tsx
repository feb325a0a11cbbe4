import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { adminApi, browserClient, createAccount, openApp, signedInAs } from "../../testing/screen";
import { SESSION_ENDED_NOTICE } from "./sessionController";

/** The session controller as users meet it: the header, the guards and the sign-in page follow it. */
describe("the session", () => {
  it("sends a visitor of a guarded page to sign in, and back to the page after", async () => {
    const account = await createAccount("user", "Ada Visitor");
    const { user, router } = openApp("/payments");
    const form = await screen.findByRole("form", { name: "Sign in" });
    expect(router.state.location.pathname).toBe("/login");
    expect(within(screen.getByTestId("user-menu")).getByRole("link", { name: "Sign in" })).toBeVisible();

    await user.type(within(form).getByLabelText("Email"), account.email);
    await user.type(within(form).getByLabelText("Password"), account.password);
    await user.click(within(form).getByRole("button", { name: "Sign in" }));

    expect(await screen.findByRole("heading", { level: 1, name: "Payments" })).toBeVisible();
    expect(router.state.location.pathname).toBe("/payments");
    expect(screen.getByTestId("user-name")).toHaveTextContent("Ada Visitor");
    expect(screen.getByTestId("user-role")).toHaveTextContent("user");
  });

  it("says what went wrong when the password is wrong, and stays signed out", async () => {
    const account = await createAccount("user");
    const { user } = openApp("/login");
    const form = await screen.findByRole("form", { name: "Sign in" });
    await user.type(within(form).getByLabelText("Email"), account.email);
    await user.type(within(form).getByLabelText("Password"), "not the passphrase");
    await user.click(within(form).getByRole("button", { name: "Sign in" }));

    expect(await within(form).findByRole("alert")).toHaveTextContent(/.+/);
    expect(within(screen.getByTestId("user-menu")).getByRole("link", { name: "Sign in" })).toBeVisible();
  });

  it("signs out from the header", async () => {
    const account = await signedInAs("user");
    const { user, router } = openApp("/profile");
    expect(await screen.findByTestId("user-name")).toHaveTextContent(account.user.name);

    await user.click(screen.getByRole("button", { name: "Sign out" }));
    expect(await screen.findByRole("form", { name: "Sign in" })).toBeVisible();
    expect(router.state.location.pathname).toBe("/login");
    expect(screen.queryByTestId("user-name")).not.toBeInTheDocument();
    // The server agrees: the browser's cookie no longer opens anything.
    await expect(browserClient.auth.me.query()).resolves.toBeNull();
  });

  it("ends the open page's session when the account signs out everywhere from another device", async () => {
    const account = await signedInAs("user");
    const { router } = openApp("/payments");
    expect(await screen.findByRole("form", { name: "Pay" })).toBeVisible();
    // Give the live channel a moment to be open before the other device acts.
    await waitFor(() => expect(screen.getByTestId("user-name")).toBeVisible());

    await account.api.auth.logoutAll.mutate();

    expect(await screen.findByText(SESSION_ENDED_NOTICE)).toBeVisible();
    expect(router.state.location.pathname).toBe("/login");
    expect(within(screen.getByTestId("user-menu")).getByRole("link", { name: "Sign in" })).toBeVisible();
  });

  it("follows a role change made by an admin while the page is open", async () => {
    const account = await signedInAs("user");
    openApp("/payments");
    expect(await screen.findByRole("form", { name: "Pay" })).toBeVisible();
    expect(screen.getByTestId("user-role")).toHaveTextContent("user");

    await (await adminApi()).users.setRole.mutate({ userId: account.user.id, role: "guest" });

    await waitFor(() => expect(screen.getByTestId("user-role")).toHaveTextContent("guest"));
    await waitFor(() => expect(screen.queryByRole("form", { name: "Pay" })).not.toBeInTheDocument());
    expect(screen.getByRole("heading", { level: 1, name: "Payments" })).toBeVisible();
  });
});
