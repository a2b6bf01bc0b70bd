#!/usr/bin/env node
// The client under test for the MCP conformance suite's scenario
// auth/cross-app-access-complete-flow: the suite starts an IdP, a resource
// AS and an MCP server, and runs this with the MCP server's URL as the last
// argument and, in MCP_CONFORMANCE_CONTEXT, the ID token, the client ids and
// the client secret at the resource AS. It writes an xaa config for them and
// runs `xaa run` from the token exchange with that ID token.
//
// xaa is a debugger: it reports what is wrong with the suite's parties too
// (their findings are printed), so its own exit status is not the client's.
// The client succeeded when the token exchange, the jwt-bearer grant and
// the MCP call did; this exits 0 then, 1 otherwise.
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const serverUrl = process.argv.at(-1);
const ctx = JSON.parse(process.env.MCP_CONFORMANCE_CONTEXT ?? "{}");
for (const k of ["idp_issuer", "idp_client_id", "idp_id_token", "idp_token_endpoint", "client_id", "client_secret"]) {
  if (!ctx[k]) {
    console.error(`MCP_CONFORMANCE_CONTEXT lacks ${k}`);
    process.exit(2);
  }
}

// The resource AS is named by the MCP server's protected resource
// metadata (RFC 9728 §3: path-inserted first, then the root).
async function authorizationServer(resource) {
  const u = new URL(resource);
  const paths = [`/.well-known/oauth-protected-resource${u.pathname.replace(/\/$/, "")}`, "/.well-known/oauth-protected-resource"];
  for (const p of paths) {
    const res = await fetch(new URL(p, u.origin), { signal: AbortSignal.timeout(5000) });
    if (res.ok) {
      const md = await res.json();
      if (md.authorization_servers?.length) return md.authorization_servers[0];
    }
  }
  throw new Error(`no protected resource metadata names an authorization server for ${resource}`);
}

const asIssuer = await authorizationServer(serverUrl);
const yaml = (v) => JSON.stringify(String(v)); // a JSON string is a YAML string
const config = `# written by the conformance adapter for one scenario run
idp:
  issuer: ${yaml(ctx.idp_issuer)}
  client_id: ${yaml(ctx.idp_client_id)}
  auth_method: none
  token_endpoint: ${yaml(ctx.idp_token_endpoint)}
resource_as:
  issuer: ${yaml(asIssuer)}
  client_id: ${yaml(ctx.client_id)}
  client_secret: ${yaml(ctx.client_secret)}
  auth_method: client_secret_basic
resource:
  mcp_url: ${yaml(serverUrl)}
`;
const dir = mkdtempSync(join(tmpdir(), "xaa-conformance-"));
const configPath = join(dir, "xaa.yaml");
writeFileSync(configPath, config, { mode: 0o600 });

const xaa = process.env.XAA_BIN ?? "xaa";
let out;
try {
  out = execFileSync(xaa, ["run", "--config", configPath, "--from", "token_exchange", "--token", "-", "--json"], {
    input: ctx.idp_id_token,
    env: { ...process.env, XAA_NO_KEYRING: "1" },
    stdio: ["pipe", "pipe", "inherit"],
  });
} catch (e) {
  out = e.stdout; // xaa exits 1 when anything failed, the suite's own parties included
  if (e.status !== 1 || !out) {
    console.error(`xaa run failed to run (exit ${e.status})`);
    process.exit(1);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const run = JSON.parse(out);
let ok = true;
for (const s of run.steps) {
  const line = `${s.id}: ${s.status}${s.error ? ` — ${s.error.message}` : ""}`;
  console.error(`xaa ${line}`);
  for (const c of s.checks ?? []) {
    if (c.status === "fail" || c.status === "warn") console.error(`  finding ${c.status}: ${c.id}: ${c.title} (expected ${c.expected}, got ${c.actual})`);
  }
  if (["token_exchange", "jwt_bearer", "resource"].includes(s.id) && s.status !== "pass" && s.status !== "warn") ok = false;
}
process.exit(ok ? 0 : 1);
