import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";

describe("loadConfig: passkeys (WebAuthn)", () => {
  it("follows PUBLIC_URL by default", () => {
    expect(loadConfig({ PORT: "4100" }).webauthn).toEqual({
      rpId: "localhost",
      rpName: "Gantry",
      origins: ["http://localhost:4100"],
    });
    expect(loadConfig({ PUBLIC_URL: "https://app.example.com/" }).webauthn).toEqual({
      rpId: "app.example.com",
      rpName: "Gantry",
      origins: ["https://app.example.com"],
    });
  });

  it("takes an RP ID shared by subdomains and several origins", () => {
    const config = loadConfig({
      PUBLIC_URL: "https://app.example.com",
      WEBAUTHN_RP_ID: "Example.com",
      WEBAUTHN_RP_NAME: "Example",
      WEBAUTHN_ORIGINS: "https://app.example.com, https://example.com",
    });
    expect(config.webauthn).toEqual({
      rpId: "example.com",
      rpName: "Example",
      origins: ["https://app.example.com", "https://example.com"],
    });
  });

  it("refuses an origin off the RP ID and a value that is not an origin, naming the variable", () => {
    expect(() => loadConfig({ PUBLIC_URL: "https://app.example.com", WEBAUTHN_ORIGINS: "https://evil.test" })).toThrow(
      /^WEBAUTHN_ORIGINS:/,
    );
    expect(() => loadConfig({ WEBAUTHN_ORIGINS: "https://localhost/path" })).toThrow(/^WEBAUTHN_ORIGINS:/);
    expect(() => loadConfig({ WEBAUTHN_RP_ID: "https://example.com" })).toThrow(/^WEBAUTHN_RP_ID:/);
  });
});
