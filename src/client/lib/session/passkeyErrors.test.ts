import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";
import { passkeyProblem } from "./passkeyErrors";

describe("passkeyProblem", () => {
  it("says what the browser refused, in a person's words", () => {
    expect(passkeyProblem(Object.assign(new Error("x"), { name: "NotAllowedError" }))).toMatch(
      /cancelled or timed out/,
    );
    expect(
      passkeyProblem(
        Object.assign(new Error("x"), { name: "InvalidStateError", code: "ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED" }),
      ),
    ).toMatch(/already holds a passkey/);
    expect(passkeyProblem(Object.assign(new Error("x"), { name: "SecurityError" }))).toMatch(
      /cannot be used at this address/,
    );
    expect(passkeyProblem(new Error("something odd"))).toMatch(/could not use a passkey/);
    expect(passkeyProblem(undefined)).toMatch(/could not use a passkey/);
  });

  it("passes the server's own message through", () => {
    const error = new TRPCClientError("That passkey could not sign you in.", {
      result: {
        error: {
          code: -32001,
          message: "That passkey could not sign you in.",
          data: { code: "UNAUTHORIZED", httpStatus: 401 },
        },
      },
    } as never);
    expect(passkeyProblem(error)).toBe("That passkey could not sign you in.");
  });
});
