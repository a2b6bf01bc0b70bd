#!/usr/bin/env node
// xaa conform (the resource AS scorecard) against Ory Hydra v2.3.0, an
// OAuth 2.0 server with the RFC 7523 jwt-bearer grant that xaa did not
// write. Usage:
//   node hydra-conform-scenario.mjs XAA_BINARY HYDRA_BINARY
// It starts hydra (in-memory DSN, --dev, loopback), starts `xaa conform
// --serve` to learn its IdP's keys, configures hydra through its admin API
// as xaa's setup says — a jwt-bearer trust relationship for the IdP's
// issuer, each of its keys and the user usr_alice, and a client_secret_basic
// client allowed the jwt-bearer grant and the config's scopes — then runs
// `xaa conform --json` and checks what must hold whatever hydra decides:
// - the run completes (exit 0 or 1, never 2) with JSON;
// - every case has a verdict, and every case that was sent quotes hydra's
//   answer (an HTTP status; on a refusal, hydra's error code);
// - no case passes unless the valid ID-JAG (the baseline) was accepted, and
//   a refused baseline makes the score inconclusive with nothing passed.
// And what hydra v2.3.0 does decide: fosite accepts as aud only its token
// endpoint URLs, so it refuses the baseline (aud = its issuer, as the
// ID-JAG draft says); xaa must say so (jwt_bearer.aud_token_endpoint, no
// Okta screen) and take the token endpoint aud it then accepts for the
// reason, not for a vulnerability. It exits 0 when all of that holds.
import { execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { freePorts } from "./ports.mjs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [xaa, hydra] = process.argv.slice(2);
if (!xaa || !hydra) {
  console.error("usage: node hydra-conform-scenario.mjs XAA_BINARY HYDRA_BINARY");
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), "xaa-hydra-"));
const children = [];
const failures = [];
const expect = (ok, what) => {
  if (!ok) failures.push(what);
};


// waitFor polls url until it answers 200, or gives up after 30 s.
async function waitFor(url, what) {
  const deadline = Date.now() + 30000;
  for (;;) {
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (r.ok) return r;
    } catch {}
    if (Date.now() > deadline) throw new Error(`${what} did not answer at ${url} within 30 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function admin(path, body) {
  const r = await fetch(adminURL + path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const text = await r.text();
  if (!r.ok) throw new Error(`hydra admin POST ${path}: HTTP ${r.status}: ${text}`);
  return JSON.parse(text);
}

const env = { ...process.env, XDG_CONFIG_HOME: dir, XDG_STATE_HOME: dir, XAA_NO_KEYRING: "1", NO_COLOR: "1" };
const hydraPort = await freePorts(2);
const idpPort = await freePorts(3);
const issuer = `http://127.0.0.1:${hydraPort}`;
const adminURL = `http://127.0.0.1:${hydraPort + 1}`;
const listen = `127.0.0.1:${idpPort}`;
const keyDir = join(dir, "keys");
const scopes = ["todos.read", "todos.write"];
const client = { id: "xaa-conform-client", secret: "xaa-conform-secret-not-a-real-one" };

try {
  writeFileSync(join(dir, "hydra.yaml"), [
    "dsn: memory",
    `serve: {public: {host: 127.0.0.1, port: ${hydraPort}}, admin: {host: 127.0.0.1, port: ${hydraPort + 1}}}`,
    `urls: {self: {issuer: "${issuer}"}}`,
    "secrets: {system: [xaa-ci-hydra-system-secret-0123456789]}",
    "log: {level: warn}",
    "",
  ].join("\n"));
  const h = spawn(hydra, ["serve", "all", "--dev", "--sqa-opt-out", "-c", join(dir, "hydra.yaml")], { stdio: ["ignore", "ignore", "pipe"] });
  children.push(h);
  let hydraLog = "";
  h.stderr.on("data", (d) => (hydraLog = (hydraLog + d).slice(-4000)));
  await waitFor(adminURL + "/health/ready", "hydra's admin API").catch((e) => {
    throw new Error(`${e.message}\n${hydraLog}`);
  });

  const cfg = join(dir, "xaa.yaml");
  writeFileSync(cfg, [
    "resource_as:",
    `  issuer: ${issuer}`,
    `  client_id: ${client.id}`,
    `  client_secret: ${client.secret}`,
    "  auth_method: client_secret_basic",
    `  scopes: [${scopes.join(", ")}]`,
    "resource:",
    `  id: http://127.0.0.1:${idpPort + 2}/api`,
    "",
  ].join("\n"));
  const conformArgs = ["conform", "--config", cfg, "--listen", listen, "--key-dir", keyDir];

  // The IdP's keys, as `xaa conform --serve` serves them.
  const serve = spawn(xaa, [...conformArgs, "--serve"], { env, stdio: "ignore" });
  children.push(serve);
  const jwks = await (await waitFor(`http://${listen}/jwks`, "xaa conform --serve")).json();
  serve.kill("SIGINT");
  await new Promise((r) => serve.once("exit", r));
  expect(jwks.keys?.length >= 1, `the IdP's JWKS has no keys: ${JSON.stringify(jwks)}`);

  await admin("/admin/clients", {
    client_id: client.id, client_secret: client.secret, token_endpoint_auth_method: "client_secret_basic",
    grant_types: ["urn:ietf:params:oauth:grant-type:jwt-bearer"], scope: scopes.join(" "),
  });
  for (const key of jwks.keys) {
    await admin("/admin/trust/grants/jwt-bearer/issuers", {
      issuer: `http://${listen}`, subject: "usr_alice", scope: scopes, jwk: key, expires_at: "2099-01-01T00:00:00Z",
    });
  }

  const { status, stdout, stderr } = await new Promise((resolve) => {
    execFile(xaa, [...conformArgs, "--json"], { env, timeout: 120000, maxBuffer: 64 << 20 }, (err, stdout, stderr) =>
      resolve({ status: err ? err.code : 0, stdout, stderr }));
  });
  writeFileSync(join(process.env.XAA_HYDRA_SCORECARD ?? join(dir, "scorecard.json")), stdout);
  expect(status === 0 || status === 1, `xaa conform exited ${status}, want 0 or 1: ${stderr}`);
  const card = JSON.parse(stdout);
  const byID = Object.fromEntries(card.cases.map((c) => [c.id, c]));
  const baseline = byID.baseline;
  const verdicts = ["accepted", "rejected", "vulnerable", "refused", "inconclusive", "skipped", "lenient"];
  expect(card.cases.length >= 29, `${card.cases.length} cases, want every case`);
  for (const c of card.cases) {
    expect(verdicts.includes(c.verdict) && c.summary, `${c.id}: no verdict or summary: ${c.verdict} ${c.summary}`);
    if (c.verdict === "skipped") continue;
    const answered = c.exchanges.filter((x) => x.response?.status);
    expect(answered.length > 0, `${c.id}: no answer from hydra recorded`);
    if (c.error) {
      expect(c.error.status >= 400 && c.error.error && c.summary.includes(c.error.error) || c.verdict === "inconclusive" && c.summary.includes(c.error.error),
        `${c.id}: hydra's refusal (${c.error.error}, HTTP ${c.error.status}) is not quoted in "${c.summary}"`);
    }
    if (baseline.verdict !== "accepted") {
      expect(c.status !== "pass" || c.id === "baseline", `${c.id}: passes (${c.summary}) though the valid ID-JAG was refused`);
    }
  }
  if (baseline.verdict !== "accepted") {
    expect(card.score.verdict === "inconclusive" && card.score.passed === 0 && !card.ok,
      `the baseline was refused, yet the score is ${JSON.stringify(card.score)}`);
  }
  // What hydra v2.3.0 decides: fosite's aud rule (its token endpoint URLs only).
  expect(baseline.verdict === "refused" && baseline.error?.explanation_id === "jwt_bearer.aud_token_endpoint",
    `baseline: ${baseline.verdict} (${baseline.summary}), explained as ${baseline.error?.explanation_id}; want refused for hydra's aud rule`);
  expect(baseline.error?.error_description?.includes(`${issuer}/oauth2/token`), `baseline: hydra's description is not quoted: ${JSON.stringify(baseline.error)}`);
  expect(!/okta/i.test(baseline.error?.fix ?? ""), `baseline: the fix names Okta: ${baseline.error?.fix}`);
  expect(byID.aud_token_endpoint.verdict === "inconclusive" && byID.aud_token_endpoint.exchanges.at(-1)?.response?.status === 200,
    `aud_token_endpoint: ${byID.aud_token_endpoint.verdict} (${byID.aud_token_endpoint.summary}); want accepted by hydra and judged inconclusive`);
  expect(card.score.vulnerable === 0, `vulnerable ${card.score.vulnerable}, though nothing can be judged`);
  const tally = {};
  for (const c of card.cases) tally[c.verdict] = (tally[c.verdict] ?? 0) + 1;
  console.log(`peers: hydra scorecard ${card.score.verdict}: baseline ${baseline.verdict} (${baseline.error?.error}), ${JSON.stringify(tally)}`);
} catch (e) {
  failures.push(String(e.stack ?? e));
} finally {
  for (const c of children) if (c.exitCode === null) c.kill();
  rmSync(dir, { recursive: true, force: true });
}
if (failures.length) {
  console.error("hydra-conform: FAILED\n- " + failures.join("\n- "));
  process.exit(1);
}
console.log("hydra-conform: every check held");
