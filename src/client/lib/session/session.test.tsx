import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { openApp, signedInAs } from "../../testing/screen";

describe("the session, as the header shows it", () => {
  it("offers sign in to a visitor", async () => {
    openApp("/");
    const menu = await screen.findByTestId("user-menu");
    expect(within(menu).getByRole("link", { name: "Sign in" })).toBeVisible();
  });

  it("shows who is signed in", async () => {
    const account = await signedInAs("user");
    openApp("/");
    expect(await screen.findByTestId("user-name")).toHaveTextContent(account.user.name);
    expect(screen.getByTestId("user-role")).toHaveTextContent("user");
  });
});
