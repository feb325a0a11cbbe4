/**
 * `tsx bench/harness/profile-top.ts FILE.cpuprofile [N]`: where a `node --cpu-prof` profile's
 * busy time went (idle excluded), readable and quotable without a browser:
 *   - the N functions with the most self time;
 *   - self time charged to the nearest package frame on the stack (Node's own internals count
 *     for the package that called them: an AbortSignal made by tRPC's adapter is tRPC's cost).
 */
import { readFileSync } from "node:fs";

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount: number;
  children?: number[];
}

const [file, count = "25"] = process.argv.slice(2);
if (!file) throw new Error("usage: profile-top.ts FILE.cpuprofile [N]");
const profile = JSON.parse(readFileSync(file, "utf8")) as { nodes: Node[] };
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

const packageOf = (url: string): string | undefined => {
  if (url.includes("node_modules/")) {
    const name =
      url
        .split("node_modules/")
        .at(-1)
        ?.match(/^(@[^/]+\/[^/]+|[^/]+)/)?.[0] ?? "?";
    return name === "tsx" ? undefined : name;
  }
  if (url.includes("/src/")) return `gantry ${url.slice(url.indexOf("/src/") + 1).replace(/^src\/server\//, "")}`;
  if (url.includes("/bench/")) return "bench";
  return undefined;
};

const busy = profile.nodes.filter((n) => n.callFrame.functionName !== "(idle)").reduce((s, n) => s + n.hitCount, 0);
const byFunction = new Map<string, number>();
const byOwner = new Map<string, number>();
for (const node of profile.nodes) {
  const { functionName, url, lineNumber } = node.callFrame;
  if (functionName === "(idle)" || node.hitCount === 0) continue;
  const where = url
    .replace(/^file:\/\//, "")
    .replace(/^.*\/node_modules\//, "")
    .replace(/^.*\/src\//, "src/");
  const key = `${functionName || "(anonymous)"} ${where}:${lineNumber + 1}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + node.hitCount);
  let owner: string | undefined;
  for (let id: number | undefined = node.id; id !== undefined && !owner; id = parent.get(id)) {
    owner = packageOf(nodes.get(id)?.callFrame.url ?? "");
  }
  owner ??= functionName.startsWith("(") ? functionName : "node (no package on the stack)";
  byOwner.set(owner, (byOwner.get(owner) ?? 0) + node.hitCount);
}
const share = (hits: number) => `${((hits / busy) * 100).toFixed(1).padStart(5)}%`;
process.stdout.write(`busy samples: ${busy}\nself time, top ${count} functions (% of busy time):\n`);
for (const [key, hits] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, Number(count))) {
  process.stdout.write(`${share(hits)}  ${key}\n`);
}
process.stdout.write("\nbusy time by the nearest package on the stack:\n");
for (const [owner, hits] of [...byOwner].sort((a, b) => b[1] - a[1]).slice(0, Number(count))) {
  process.stdout.write(`${share(hits)}  ${owner}\n`);
}
