#!/usr/bin/env node
// An independent client completes Cross App Access against `xaa playground`:
// the official TypeScript MCP SDK (@modelcontextprotocol/client) discovers
// the MCP server's authorization server (RFC 9728, RFC 8414), gets an ID-JAG
// from the playground IdP by token exchange, redeems it with the jwt-bearer
// grant (CrossAppAccessProvider) and calls a tool. Usage:
//   node ts-sdk-client.mjs XAA_BINARY
// It exits 0 when the tool call succeeded.
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePorts } from "./ports.mjs";
import { Client, CrossAppAccessProvider, StreamableHTTPClientTransport, discoverAndRequestJwtAuthGrant } from "@modelcontextprotocol/client";
import { parse } from "yaml";

const xaa = process.argv[2] ?? "xaa";
const dir = mkdtempSync(join(tmpdir(), "xaa-ts-sdk-"));
const configPath = join(dir, "xaa.yaml");

// The playground's IdP, AS and resource.
const port = await freePorts(3);
const playground = spawn(xaa, ["playground", "--listen", `127.0.0.1:${port}`, "--write-config", configPath, "--key-dir", join(dir, "keys")], { stdio: ["ignore", "ignore", "inherit"] });
const stop = () => {
  playground.kill();
  rmSync(dir, { recursive: true, force: true });
};

try {
  const idpUrl = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      // The config is written (whole, by a rename) after the servers listen.
      if ((await fetch(`${idpUrl}/.well-known/openid-configuration`)).ok && existsSync(configPath)) break;
    } catch {}
    if (i > 100) throw new Error("the playground did not start");
    await new Promise((r) => setTimeout(r, 100));
  }
  const cfg = parse(readFileSync(configPath, "utf8"));

  // The user's login (OIDC authorization code + PKCE), as a browser would do
  // it on the playground's login page, for the ID token the SDK exchanges.
  const verifier = randomBytes(32).toString("base64url");
  const challenge = createHash("sha256").update(verifier).digest("base64url");
  const md = await (await fetch(`${idpUrl}/.well-known/openid-configuration`)).json();
  const auth = new URL(md.authorization_endpoint);
  const params = { response_type: "code", client_id: cfg.idp.client_id, redirect_uri: cfg.idp.redirect_uri, scope: "openid email",
    state: randomBytes(8).toString("hex"), nonce: randomBytes(8).toString("hex"), code_challenge: challenge, code_challenge_method: "S256" };
  for (const [k, v] of Object.entries(params)) auth.searchParams.set(k, v);
  const page = await (await fetch(auth)).text();
  const form = new URLSearchParams();
  for (const m of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form.set(m[1], m[2].replaceAll("&amp;", "&"));
  form.set("username", "alice");
  form.set("password", "alice-demo");
  const action = new URL(page.match(/<form id="login" method="post" action="([^"]+)"/)[1], auth);
  const login = await fetch(action, { method: "POST", body: form, redirect: "manual" });
  const code = new URL(login.headers.get("location")).searchParams.get("code");
  if (!code) throw new Error(`the login did not redirect with a code (HTTP ${login.status})`);
  const basic = "Basic " + Buffer.from(`${encodeURIComponent(cfg.idp.client_id)}:${encodeURIComponent(cfg.idp.client_secret)}`).toString("base64");
  const tokens = await (await fetch(md.token_endpoint, { method: "POST", headers: { authorization: basic },
    body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: cfg.idp.redirect_uri, code_verifier: verifier }) })).json();
  if (!tokens.id_token) throw new Error(`no ID token: ${JSON.stringify(tokens)}`);

  // The SDK from here on: discovery, token exchange, jwt-bearer, MCP.
  const provider = new CrossAppAccessProvider({
    clientId: cfg.resource_as.client_id,
    clientSecret: cfg.resource_as.client_secret,
    expectedIssuer: cfg.resource_as.issuer,
    assertion: async (ctx) => {
      const grant = await discoverAndRequestJwtAuthGrant({ idpUrl, audience: ctx.authorizationServerUrl, resource: ctx.resourceUrl,
        idToken: tokens.id_token, clientId: cfg.idp.client_id, clientSecret: cfg.idp.client_secret, scope: ctx.scope, fetchFn: ctx.fetchFn });
      return grant.jwtAuthGrant;
    },
  });
  const client = new Client({ name: "xaa-ci-ts-sdk", version: "1" });
  await client.connect(new StreamableHTTPClientTransport(new URL(cfg.resource.mcp_url), { authProvider: provider }));
  const { tools } = await client.listTools();
  const name = "list_todos";
  if (!tools.some((t) => t.name === name)) throw new Error(`the MCP server lists no ${name}: ${tools.map((t) => t.name).join(", ")}`);
  const result = await client.callTool({ name, arguments: {} });
  if (result.isError) throw new Error(`tools/call ${name} failed: ${JSON.stringify(result.content)}`);
  console.log(`TypeScript SDK: tools/call ${name} succeeded against the xaa playground (tools: ${tools.map((t) => t.name).join(", ")})`);
  await client.close();
  stop();
} catch (e) {
  console.error(`TypeScript SDK client failed: ${e.stack ?? e}`);
  stop();
  process.exit(1);
}
