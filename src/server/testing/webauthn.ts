import { createHash, randomBytes, webcrypto } from "node:crypto";
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { isoCBOR } from "@simplewebauthn/server/helpers";

/** One credential the software authenticator holds: a P-256 key pair, as a platform passkey would. */
interface HeldCredential {
  id: string;
  rpId: string;
  /** base64url, as the registration options gave it. */
  userHandle: string;
  keys: webcrypto.CryptoKeyPair;
  counter: number;
}

const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url");
const sha256 = (data: Uint8Array | string) => new Uint8Array(createHash("sha256").update(data).digest());

/**
 * A WebAuthn authenticator in software for tests: it answers SimpleWebAuthn's options with real
 * attestation ("none") and assertions signed by WebCrypto P-256 keys, encoded exactly as a
 * browser sends them, so the server's verification runs unchanged. It holds discoverable
 * credentials and counts signatures like a security key. Options let a test lie (another
 * origin, another challenge) to see the server refuse.
 */
export class SoftwareAuthenticator {
  readonly credentials: HeldCredential[] = [];

  constructor(private readonly origin: string) {}

  async create(
    options: PublicKeyCredentialCreationOptionsJSON,
    lie: { origin?: string; challenge?: string } = {},
  ): Promise<RegistrationResponseJSON> {
    const rpId = options.rp.id ?? new URL(this.origin).hostname;
    const keys = (await webcrypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, [
      "sign",
      "verify",
    ])) as webcrypto.CryptoKeyPair;
    const raw = new Uint8Array(await webcrypto.subtle.exportKey("raw", keys.publicKey));
    const cosePublicKey = isoCBOR.encode(
      new Map<number, number | Uint8Array>([
        [1, 2], // kty: EC2
        [3, -7], // alg: ES256
        [-1, 1], // crv: P-256
        [-2, raw.slice(1, 33)], // x
        [-3, raw.slice(33, 65)], // y
      ]),
    );
    const credentialId = new Uint8Array(randomBytes(32));
    const credential: HeldCredential = {
      id: b64url(credentialId),
      rpId,
      userHandle: options.user.id,
      keys,
      counter: 0,
    };
    const authData = concat(
      sha256(rpId),
      Uint8Array.of(0x45), // user present, user verified, attested credential data
      uint32(credential.counter),
      new Uint8Array(16), // AAGUID: none
      Uint8Array.of(credentialId.length >> 8, credentialId.length & 0xff),
      credentialId,
      cosePublicKey,
    );
    const attestationObject = isoCBOR.encode(
      new Map<string, string | Uint8Array | Map<string, string>>([
        ["fmt", "none"],
        ["attStmt", new Map<string, string>()],
        ["authData", authData],
      ]),
    );
    this.credentials.push(credential);
    return {
      id: credential.id,
      rawId: credential.id,
      type: "public-key",
      authenticatorAttachment: "platform",
      clientExtensionResults: {},
      response: {
        clientDataJSON: this.clientData("webauthn.create", lie.challenge ?? options.challenge, lie.origin),
        attestationObject: b64url(attestationObject),
        transports: ["internal"],
      },
    };
  }

  /** Signs with the given credential, or (as a discoverable login) the newest one for the RP. */
  async get(
    options: PublicKeyCredentialRequestOptionsJSON,
    choose: { credentialId?: string; origin?: string; challenge?: string } = {},
  ): Promise<AuthenticationResponseJSON> {
    const rpId = options.rpId ?? new URL(this.origin).hostname;
    const credential = [...this.credentials]
      .reverse()
      .find((held) => held.rpId === rpId && (!choose.credentialId || held.id === choose.credentialId));
    if (!credential) throw new Error(`no credential for ${rpId}`);
    credential.counter += 1;
    return this.sign(credential, options.challenge, choose);
  }

  /** The same signature counter again: what a cloned authenticator would send. */
  async replayCounter(credentialId: string, options: PublicKeyCredentialRequestOptionsJSON) {
    const credential = this.credentials.find((held) => held.id === credentialId);
    if (!credential) throw new Error("unknown credential");
    return this.sign(credential, options.challenge, {});
  }

  private async sign(
    credential: HeldCredential,
    challenge: string,
    lie: { origin?: string; challenge?: string },
  ): Promise<AuthenticationResponseJSON> {
    const authData = concat(sha256(credential.rpId), Uint8Array.of(0x05), uint32(credential.counter));
    const clientDataJSON = this.clientData("webauthn.get", lie.challenge ?? challenge, lie.origin);
    const signed = concat(authData, sha256(Buffer.from(clientDataJSON, "base64url")));
    const raw = new Uint8Array(
      await webcrypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, credential.keys.privateKey, signed),
    );
    return {
      id: credential.id,
      rawId: credential.id,
      type: "public-key",
      authenticatorAttachment: "platform",
      clientExtensionResults: {},
      response: {
        clientDataJSON,
        authenticatorData: b64url(authData),
        signature: b64url(derSignature(raw)),
        userHandle: credential.userHandle,
      },
    };
  }

  private clientData(type: string, challenge: string, origin = this.origin): string {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false })).toString("base64url");
  }
}

function concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.concat(parts));
}

function uint32(value: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value);
  return bytes;
}

/** WebCrypto signs ECDSA as r||s; WebAuthn carries it as an ASN.1 DER SEQUENCE of two INTEGERs. */
function derSignature(raw: Uint8Array): Uint8Array {
  const integer = (bytes: Uint8Array) => {
    let start = 0;
    while (start < bytes.length - 1 && bytes[start] === 0) start++;
    let value = bytes.slice(start);
    if ((value[0] ?? 0) & 0x80) value = concat(Uint8Array.of(0), value);
    return concat(Uint8Array.of(0x02, value.length), value);
  };
  const body = concat(integer(raw.slice(0, 32)), integer(raw.slice(32, 64)));
  return concat(Uint8Array.of(0x30, body.length), body);
}
