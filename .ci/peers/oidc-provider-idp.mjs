#!/usr/bin/env node
// An OpenID Provider xaa did not write: panva's oidc-provider (certified
// OpenID Connect Basic/Config), configured, not extended. It serves on
// 127.0.0.1 on a free port, with one confidential client (client_secret_basic,
// PKCE required, the given redirect URI), RS256 ID tokens signed with a key
// generated at start, its own development login and consent pages
// (devInteractions), and one account, alice. It has no token exchange
// (RFC 8693), so it issues no ID-JAG. Usage:
//   node oidc-provider-idp.mjs REDIRECT_URI
// When it listens it prints one JSON line on stdout: issuer, client_id,
// client_secret. It stops on SIGTERM or when its stdin closes.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { createServer } from "node:http";
import Provider from "oidc-provider";

const redirectUri = process.argv[2];
if (!redirectUri) {
  console.error("usage: oidc-provider-idp.mjs REDIRECT_URI");
  process.exit(2);
}

const account = { sub: "alice", email: "alice@example.com", email_verified: true, name: "Alice Example" };
const client = { client_id: "xaa-requesting-app", client_secret: randomBytes(24).toString("base64url") };
const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: "jwk" }), kid: randomBytes(8).toString("hex"), use: "sig", alg: "RS256" };

// The provider's notices (console.info) go to stderr: stdout is the one line.
console.info = (...args) => console.error(...args);

const server = createServer();
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [{ ...client, token_endpoint_auth_method: "client_secret_basic", redirect_uris: [redirectUri],
    grant_types: ["authorization_code"], response_types: ["code"], id_token_signed_response_alg: "RS256" }],
  jwks: { keys: [jwk] },
  pkce: { required: () => true },
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
  cookies: { keys: [randomBytes(32).toString("base64url")] },
  features: { devInteractions: { enabled: true } },
  async findAccount(ctx, sub) {
    if (sub !== account.sub) return undefined;
    return { accountId: sub, async claims() { return account; } };
  },
});
server.on("request", provider.callback());

console.log(JSON.stringify({ issuer, ...client }));
const stop = () => server.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.stdin.on("end", stop).resume();
