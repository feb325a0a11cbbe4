import { describe, expect, it } from "vitest";
import { landingPath, type SsoFlow, SsoFlowSeal } from "./sso-flow.js";

const flow: SsoFlow = {
  intent: "login",
  state: "state-1",
  nonce: "nonce-1",
  codeVerifier: "verifier-1",
  next: "/datasets",
  expiresAt: 1_700_000_000_000,
};

describe("the SSO flow cookie", () => {
  it("opens what it sealed, and nothing altered, forged or sealed with another secret", () => {
    const seal = new SsoFlowSeal("a".repeat(32));
    const sealed = seal.seal(flow);
    expect(seal.open(sealed)).toEqual(flow);
    const [body, mac] = sealed.split(".") as [string, string];
    const altered = Buffer.from(JSON.stringify({ ...flow, intent: "link" })).toString("base64url");
    expect(seal.open(`${altered}.${mac}`)).toBeUndefined();
    expect(seal.open(`${body}.${mac.slice(1)}x`)).toBeUndefined();
    expect(new SsoFlowSeal("b".repeat(32)).open(sealed)).toBeUndefined();
    expect(seal.open(undefined)).toBeUndefined();
    expect(seal.open("x".repeat(5000))).toBeUndefined();
  });

  it("lands only on paths of this site", () => {
    expect(landingPath("/datasets?page=2")).toBe("/datasets?page=2");
    for (const bad of ["//evil.example", "https://evil.example", "/\\evil.example", "javascript:alert(1)", "/login"]) {
      expect(landingPath(bad), bad).toBe("/");
    }
    expect(landingPath(undefined)).toBe("/");
  });
});
