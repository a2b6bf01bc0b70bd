#!/usr/bin/env node
// xaa as the requesting app against an OpenID Provider it did not write:
// panva's oidc-provider (oidc-provider-idp.mjs) for discovery and the
// login, `xaa playground`'s resource AS, API and MCP server for the rest.
// oidc-provider has no token exchange (RFC 8693), so the run must stop
// there for the right reason. Usage:
//   node oidc-provider-scenario.mjs XAA_BINARY
// It checks what xaa reports:
// - discovery passes but for one warning, discovery.idp.token_exchange
//   (oidc-provider's grant_types_supported has no token exchange), and
//   discovery.idp.id_jag is unknown (it publishes no
//   identity_chaining_requested_token_types_supported, so nothing says);
// - the login passes, its ID token verified with the key of oidc-provider's
//   JWKS;
// - the token exchange fails with oidc-provider's own answer,
//   unsupported_grant_type (HTTP 400), explained as
//   token_exchange.not_offered with no Okta advice; the jwt-bearer and
//   resource steps are skipped naming the ID-JAG and the access token it
//   would have given; xaa exits 1;
// - `xaa doctor` with that ID token finishes (0 or 1), takes it for no Okta
//   org (Okta's own URL rules not compared, no Okta console screen on the
//   IdP's checks), fails org.xaa_enabled on that answer, and passes the
//   redirect URI and the ID token;
// - `xaa decode` verifies the ID token with oidc-provider's JWKS as a file;
// - no check anywhere passes without an expected and an actual value.
// It exits 0 when all of that holds.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { freePorts } from "./ports.mjs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

const here = dirname(fileURLToPath(import.meta.url));
const xaa = process.argv[2] ?? "xaa";
const dir = mkdtempSync(join(tmpdir(), "xaa-oidc-provider-"));
const children = [];
const failures = [];
const expect = (ok, what) => {
  if (!ok) failures.push(what);
};


// xaa with the scenario's environment; its exit status and parsed JSON.
function runXaa(args) {
  const env = { ...process.env, XAA_NO_KEYRING: "1", XDG_STATE_HOME: dir, XDG_CONFIG_HOME: dir, NO_COLOR: "1",
    BROWSER: `${process.execPath} ${join(here, "oidc-provider-browser.mjs")}` };
  let out, status = 0;
  try {
    out = execFileSync(xaa, args, { env, stdio: ["ignore", "pipe", "pipe"], timeout: 60000 });
  } catch (e) {
    if (e.status == null) throw e;
    out = e.stdout;
    status = e.status;
    if (status === 2) console.error(String(e.stderr));
  }
  return { status, out: String(out) };
}

// Every check that passes says what it compared.
function passesCompared(where, checks) {
  for (const c of checks ?? []) {
    if (c.status === "pass") expect(c.expected && c.actual, `${where}: ${c.id} passes without an expected and an actual value`);
  }
}

try {
  // The playground's IdP (unused), AS and resource, and xaa's login callback
  // (a fixed port, registered at oidc-provider).
  const port = await freePorts(4);
  const redirectUri = `http://127.0.0.1:${port + 3}/callback`;

  const idpProc = spawn(process.execPath, [join(here, "oidc-provider-idp.mjs"), redirectUri], { stdio: ["pipe", "pipe", "ignore"] });
  children.push(idpProc);
  const idp = await new Promise((resolve, reject) => {
    createInterface({ input: idpProc.stdout }).once("line", (l) => resolve(JSON.parse(l)));
    idpProc.once("exit", (code) => reject(new Error(`oidc-provider-idp.mjs exited (${code}) before it listened`)));
  });

  const pgConfig = join(dir, "playground.yaml");
  children.push(spawn(xaa, ["playground", "--listen", `127.0.0.1:${port}`, "--write-config", pgConfig, "--key-dir", join(dir, "keys")], { stdio: ["ignore", "ignore", "inherit"] }));
  for (let i = 0; !existsSync(pgConfig); i++) {
    // The config is written (whole, by a rename) after the servers listen.
    if (i > 100) throw new Error("the playground did not start");
    await new Promise((r) => setTimeout(r, 100));
  }
  const pg = parse(readFileSync(pgConfig, "utf8"));

  const y = (v) => JSON.stringify(String(v)); // a JSON string is a YAML string
  const configPath = join(dir, "xaa.yaml");
  writeFileSync(configPath, `# the requesting app at oidc-provider; the playground's resource AS and resource
idp:
  issuer: ${y(idp.issuer)}
  client_id: ${y(idp.client_id)}
  client_secret: ${y(idp.client_secret)}
  auth_method: client_secret_basic
  redirect_uri: ${y(redirectUri)}
  scopes: [openid, profile, email]
resource_as:
  issuer: ${y(pg.resource_as.issuer)}
  client_id: ${y(pg.resource_as.client_id)}
  client_secret: ${y(pg.resource_as.client_secret)}
  auth_method: client_secret_basic
  scopes: ${JSON.stringify(pg.resource_as.scopes)}
resource:
  api_url: ${y(pg.resource.api_url)}
  mcp_url: ${y(pg.resource.mcp_url)}
`, { mode: 0o600 });

  // xaa run: the scripted browser logs alice in at oidc-provider.
  const run = runXaa(["run", "--config", configPath, "--json", "--reveal"]);
  expect(run.status === 1, `xaa run exited ${run.status}, want 1 (a step failed)`);
  const r = JSON.parse(run.out);
  const step = (id) => r.steps.find((s) => s.id === id) ?? {};
  for (const s of r.steps) passesCompared(`run ${s.id}`, [...(s.checks ?? []), ...(s.tokens ?? []).flatMap((t) => t.checks ?? [])]);

  const disc = step("discovery");
  const notPassed = (disc.checks ?? []).filter((c) => c.status !== "pass").map((c) => `${c.id} ${c.status}`).sort();
  expect(disc.status === "warn" && notPassed.join(", ") === "discovery.idp.id_jag unknown, discovery.idp.token_exchange warn",
    `discovery ${disc.status} with ${notPassed.join(", ")}; want warn with only discovery.idp.id_jag unknown and discovery.idp.token_exchange warn`);

  const login = step("login");
  const idt = (login.tokens ?? []).find((t) => t.kind === "id_token");
  expect(login.status === "pass", `login ${login.status}: ${login.error?.message ?? ""}`);
  expect(idt?.signature?.status === "verified" && idt.signature.key_source === `${idp.issuer}/jwks` && idt.signature.alg === "RS256",
    `the ID token's signature: ${JSON.stringify(idt?.signature)}; want RS256 verified with a key of ${idp.issuer}/jwks`);

  const tx = step("token_exchange");
  const e = tx.error ?? {};
  expect(tx.status === "fail" && e.error === "unsupported_grant_type" && e.status === 400 && e.explanation_id === "token_exchange.not_offered",
    `token_exchange ${tx.status}: ${e.error} (HTTP ${e.status}) explained as ${e.explanation_id}; want fail, unsupported_grant_type (HTTP 400), token_exchange.not_offered`);
  expect(![e.explanation, e.fix, ...(e.causes ?? [])].some((s) => /okta/i.test(s ?? "")), `the token exchange's explanation talks of Okta: ${e.fix}`);
  for (const [id, what] of [["jwt_bearer", "an ID-JAG"], ["resource", "an access token"]]) {
    const s = step(id);
    expect(s.status === "skipped" && (s.missing ?? []).some((m) => m.what === what), `${id} ${s.status}, missing ${JSON.stringify(s.missing)}; want skipped for want of ${what}`);
  }

  // xaa doctor with the ID token of that login.
  const idTokenFile = join(dir, "id-token.txt");
  writeFileSync(idTokenFile, idt?.token ?? "", { mode: 0o600 });
  const doc = runXaa(["doctor", "--config", configPath, "--json", "--token", `@${idTokenFile}`]);
  expect(doc.status === 0 || doc.status === 1, `xaa doctor exited ${doc.status}, want 0 or 1`);
  const d = JSON.parse(doc.out);
  const check = (id) => d.checks.find((c) => c.id === id) ?? {};
  passesCompared("doctor", d.checks);
  expect(d.okta === false && d.signed_in === true, `doctor: okta ${d.okta}, signed_in ${d.signed_in}; want false, true`);
  for (const id of ["org.url.admin", "org.url.authorization_server"]) {
    expect(check(id).status === "skipped", `doctor: ${id} ${check(id).status}, want skipped (Okta's rule)`);
  }
  for (const c of d.checks) {
    if (["org", "requesting_app", "resource_app"].includes(c.party)) expect(!c.console, `doctor: ${c.id} names an Okta console screen: ${c.console}`);
  }
  const xaaEnabled = check("org.xaa_enabled");
  expect(xaaEnabled.status === "fail" && /unsupported_grant_type/.test(xaaEnabled.actual) && !/okta/i.test(xaaEnabled.hint ?? ""),
    `doctor: org.xaa_enabled ${xaaEnabled.status} (${xaaEnabled.actual}; ${xaaEnabled.hint}); want fail on unsupported_grant_type, no Okta fix`);
  for (const id of ["requesting_app.redirect_uri", "requesting_app.id_token", "org.jwks", "org.issuer"]) {
    expect(check(id).status === "pass", `doctor: ${id} ${check(id).status} (${check(id).actual}; ${check(id).hint}), want pass`);
  }

  // xaa decode with oidc-provider's JWKS, pinned as a file.
  const jwksFile = join(dir, "jwks.json");
  writeFileSync(jwksFile, await (await fetch(`${idp.issuer}/jwks`, { signal: AbortSignal.timeout(5000) })).text());
  const dec = runXaa(["decode", `@${idTokenFile}`, "--jwks", jwksFile, "--issuer", idp.issuer, "--client-id", idp.client_id, "--json"]);
  const t = JSON.parse(dec.out);
  passesCompared("decode", t.checks);
  expect(dec.status === 0 && t.kind === "id_token" && t.signature?.status === "verified",
    `xaa decode exited ${dec.status}: ${t.kind}, signature ${JSON.stringify(t.signature?.status)}; want 0, an id_token, verified`);

  if (failures.length) throw new Error(failures.join("\n  "));
  console.log(`oidc-provider: discovery warns only of the token exchange grant, login verified (RS256, ${idt.signature.kid}), ` +
    `token exchange refused (${e.error}, ${e.explanation_id}), doctor ${d.summary.pass} pass / ${d.summary.fail} fail / ${d.summary.unknown} unknown, decode verified`);
} catch (err) {
  console.error(`oidc-provider scenario failed:\n  ${err.message ?? err}`);
  process.exitCode = 1;
} finally {
  for (const c of children) c.kill();
  rmSync(dir, { recursive: true, force: true });
}
