import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";
import { toSocketStatus } from "./socketState";

describe("toSocketStatus", () => {
  it("reads an open socket as open and a first attempt as connecting", () => {
    expect(toSocketStatus({ type: "state", state: "pending", error: null })).toEqual({ state: "open", error: null });
    expect(toSocketStatus({ type: "state", state: "connecting", error: null })).toEqual({
      state: "connecting",
      error: null,
    });
  });

  it("reads a lost connection that is being retried as closed, with the reason", () => {
    const lost = TRPCClientError.from(new Error("WebSocket closed"));
    expect(toSocketStatus({ type: "state", state: "connecting", error: lost })).toEqual({
      state: "closed",
      error: "WebSocket closed",
    });
    expect(toSocketStatus({ type: "state", state: "idle", error: null }).state).toBe("closed");
  });
});
