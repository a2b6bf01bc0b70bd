#!/usr/bin/env node
// A scripted browser for xaa's login at oidc-provider (xaa runs $BROWSER
// with the authorization URL as its last argument): it follows the
// redirects with a cookie jar, signs in as alice on oidc-provider's
// development login page, confirms its consent page, and requests the
// redirect to xaa's loopback listener. Node's fetch; no browser. Usage:
//   node oidc-provider-browser.mjs AUTHORIZATION_URL
// It exits 0 when xaa's listener answered 200.
const start = new URL(process.argv.at(-1));
const idpOrigin = start.origin;

// Cookies by name and path (the provider scopes its interaction cookies to
// /interaction/UID and /auth/UID); sent where the path matches.
const jar = new Map();
function keep(res, url) {
  for (const line of res.headers.getSetCookie()) {
    const [pair, ...attrs] = line.split(";");
    const eq = pair.indexOf("=");
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    const path = attrs.map((a) => a.trim()).find((a) => a.toLowerCase().startsWith("path="))?.slice(5) ?? "/";
    const expired = attrs.some((a) => /^\s*expires=/i.test(a) && Date.parse(a.split("=")[1]) < Date.now());
    if (expired || value === "") jar.delete(`${name} ${path}`);
    else jar.set(`${name} ${path}`, { name, value, path });
  }
}
function cookieHeader(url) {
  return [...jar.values()].filter((c) => url.pathname.startsWith(c.path)).map((c) => `${c.name}=${c.value}`).join("; ");
}

const unescape = (s) => s.replaceAll("&amp;", "&").replaceAll("&#x2F;", "/").replaceAll("&#x3D;", "=").replaceAll("&quot;", '"').replaceAll("&#39;", "'");

async function request(url, init = {}) {
  const headers = { ...(init.headers ?? {}) };
  if (url.origin === idpOrigin) headers.cookie = cookieHeader(url);
  const res = await fetch(url, { ...init, headers, redirect: "manual", signal: AbortSignal.timeout(10000) });
  keep(res, url);
  return res;
}

let url = start;
let res = await request(url);
for (let hop = 0; hop < 20; hop++) {
  if (url.origin !== idpOrigin) {
    // The redirect URI: xaa's listener has the code now.
    const body = await res.text();
    if (res.status !== 200) {
      console.error(`xaa's callback answered HTTP ${res.status}: ${body.match(/<title>([^<]*)/)?.[1] ?? ""}`);
      process.exit(1);
    }
    process.exit(0);
  }
  if (res.status >= 300 && res.status < 400) {
    url = new URL(res.headers.get("location"), url);
    res = await request(url);
    continue;
  }
  const page = await res.text();
  const action = page.match(/<form[^>]*action="([^"]+)"[^>]*method="post"/)?.[1];
  const prompt = page.match(/<input type="hidden" name="prompt" value="([^"]+)"/)?.[1];
  if (res.status !== 200 || !action || !prompt) {
    console.error(`oidc-provider answered HTTP ${res.status} at ${url.pathname} with no form: ${unescape(page.replace(/<style[^]*?<\/style>/g, "").replace(/<[^>]+>/g, " ").replace(/\s+/g, " ")).slice(0, 400)}`);
    process.exit(1);
  }
  const form = new URLSearchParams({ prompt });
  if (prompt === "login") {
    form.set("login", "alice");
    form.set("password", "any password: the development login page takes any");
  }
  url = new URL(unescape(action), url);
  res = await request(url, { method: "POST", body: form });
}
console.error("more than 20 redirects and forms without reaching the redirect URI");
process.exit(1);
