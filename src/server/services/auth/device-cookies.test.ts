import { describe, expect, it } from "vitest";
import { DeviceCookies } from "./device-cookies.js";

describe("device cookies", () => {
  const cookies = new DeviceCookies("a".repeat(43));
  const account = "5b0b6a8e-8a4b-4f5e-9a57-1f7c2d3e4f50";

  it("names the account it was issued for, with a fresh nonce each time", () => {
    const first = cookies.issue(account);
    const second = cookies.issue(account);
    expect(first).not.toBe(second);
    expect(cookies.accountOf(first)).toBe(account);
    expect(cookies.accountOf(second)).toBe(account);
  });

  it("rejects anything not signed with this deployment's key", () => {
    const genuine = cookies.issue(account);
    const [, nonce, mac] = genuine.split(".");
    expect(new DeviceCookies("b".repeat(43)).accountOf(genuine)).toBeUndefined();
    expect(cookies.accountOf(`other-account.${nonce}.${mac}`)).toBeUndefined();
    expect(cookies.accountOf(`${account}.${nonce}x.${mac}`)).toBeUndefined();
    expect(cookies.accountOf(`${account}.${nonce}`)).toBeUndefined();
    expect(cookies.accountOf(`${genuine}.extra`)).toBeUndefined();
    expect(cookies.accountOf("")).toBeUndefined();
    expect(cookies.accountOf(undefined)).toBeUndefined();
  });
});
