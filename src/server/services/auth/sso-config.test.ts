import { describe, expect, it } from "vitest";
import { loadConfig } from "../../config.js";

const base = { NODE_ENV: "test" };

describe("OIDC configuration", () => {
  it("is off without the variables, and needs issuer, client id and secret together", () => {
    expect(loadConfig(base).sso).toBeUndefined();
    expect(() => loadConfig({ ...base, OIDC_ISSUER: "https://id.example.com" })).toThrow(
      "OIDC_CLIENT_ID, OIDC_CLIENT_SECRET: set OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET together",
    );
  });

  it("takes an https issuer, and plain http only on this machine", () => {
    const sso = { OIDC_CLIENT_ID: "gantry", OIDC_CLIENT_SECRET: "s3cret" };
    expect(loadConfig({ ...base, ...sso, OIDC_ISSUER: "https://id.example.com/realms/a" }).sso).toEqual({
      issuer: "https://id.example.com/realms/a",
      clientId: "gantry",
      clientSecret: "s3cret",
      name: "Single sign-on",
      timeoutMs: 5000,
    });
    expect(loadConfig({ ...base, ...sso, OIDC_ISSUER: "http://127.0.0.1:4444", OIDC_NAME: "Test ID" }).sso?.name).toBe(
      "Test ID",
    );
    expect(() => loadConfig({ ...base, ...sso, OIDC_ISSUER: "http://id.example.com" })).toThrow(
      /OIDC_ISSUER: must be https/,
    );
  });
});
