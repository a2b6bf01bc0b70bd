// freePorts finds n consecutive free loopback ports for the peers' servers:
// below the ephemeral range, so another process's outgoing connection does
// not take one of them meanwhile.
import { createServer } from "node:net";

function bindable(port) {
  return new Promise((resolve) => {
    const s = createServer().once("error", () => resolve(false)).listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
  });
}

export async function freePorts(n) {
  for (let i = 0; i < 200; i++) {
    const port = 20000 + Math.floor(Math.random() * 10000);
    let ok = true;
    for (let k = 0; k < n && ok; k++) ok = await bindable(port + k);
    if (ok) return port;
  }
  throw new Error(`no ${n} consecutive free ports between 20000 and 30000`);
}
