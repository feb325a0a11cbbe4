import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";
import type { AppRouter } from "../../../server/trpc/router.js";
import { formErrors } from "./formErrors";

type ErrorData = NonNullable<TRPCClientError<AppRouter>["data"]>;

function answered(message: string, data: ErrorData): TRPCClientError<AppRouter> {
  return new TRPCClientError<AppRouter>(message, { result: { error: { code: -32600, message, data } } });
}

const badRequest = (message: string, fieldErrors: Record<string, string[]>) =>
  answered(message, { code: "BAD_REQUEST", httpStatus: 400, fieldErrors });

describe("formErrors", () => {
  it("shows nothing when nothing failed", () => {
    expect(formErrors(null, ["email"])).toEqual({ byField: {}, summary: null, retryAfterMs: null });
  });

  it("puts validation messages next to their fields and only points at them above the form", () => {
    const error = badRequest("email: Enter a valid email address; password: Use at least 8 characters", {
      email: ["Enter a valid email address"],
      password: ["Use at least 8 characters"],
    });
    const errors = formErrors(error, ["email", "password", "name"]);
    expect(errors.byField).toEqual({ email: ["Enter a valid email address"], password: ["Use at least 8 characters"] });
    expect(errors.summary).toBe("Please check the fields marked below.");
  });

  it("keeps errors for fields the form does not show in the summary", () => {
    const error = badRequest("token: Too small; newPassword: Use at least 8 characters", {
      token: ["Too small"],
      newPassword: ["Use at least 8 characters"],
    });
    const errors = formErrors(error, ["newPassword"]);
    expect(errors.byField).toEqual({ newPassword: ["Use at least 8 characters"] });
    expect(errors.summary).toBe("token: Too small");
  });

  it("shows a refusal worded for people as the server sends it", () => {
    const login = answered("Incorrect email or password.", { code: "UNAUTHORIZED", httpStatus: 401 });
    expect(formErrors(login, ["email", "password"])).toEqual({
      byField: {},
      summary: "Incorrect email or password.",
      retryAfterMs: null,
    });
    const expired = badRequest("This reset link is invalid or has expired. Ask for a new one.", {
      token: ["This reset link is invalid or has expired. Ask for a new one."],
    });
    expect(formErrors(expired, ["newPassword"]).summary).toBe(
      "This reset link is invalid or has expired. Ask for a new one.",
    );
  });

  it("does not repeat above the form what a field already says", () => {
    const wrong = badRequest("Your current password is not correct", {
      currentPassword: ["Your current password is not correct"],
    });
    const errors = formErrors(wrong, ["currentPassword", "newPassword"]);
    expect(errors.byField.currentPassword).toEqual(["Your current password is not correct"]);
    expect(errors.summary).toBeNull();

    const taken = answered("An account with this email already exists. Sign in instead.", {
      code: "CONFLICT",
      httpStatus: 409,
      fieldErrors: { email: ["An account with this email already exists"] },
    });
    expect(formErrors(taken, ["email"]).summary).toBe("An account with this email already exists. Sign in instead.");
  });

  it("passes on how long to wait after too many attempts", () => {
    const slowDown = answered("Too many failed sign-in attempts. Try again in 90 seconds.", {
      code: "TOO_MANY_REQUESTS",
      httpStatus: 429,
      retryAfterMs: 90_000,
    });
    expect(formErrors(slowDown, ["email"])).toMatchObject({
      summary: "Too many failed sign-in attempts. Try again in 90 seconds.",
      retryAfterMs: 90_000,
    });
  });
});
