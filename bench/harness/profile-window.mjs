// Preloaded into a server under `npm run bench:profile` (node --import): the first SIGUSR2
// starts the V8 CPU profiler, the second writes the profile to BENCH_PROFILE_FILE. Only the
// measured window is profiled, not start-up's module compilation.
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector";

const session = new Session();
session.connect();
let running = false;
process.on("SIGUSR2", () => {
  if (!running) {
    running = true;
    session.post("Profiler.setSamplingInterval", { interval: 200 }, () => {
      session.post("Profiler.enable", () => session.post("Profiler.start"));
    });
    return;
  }
  session.post("Profiler.stop", (error, result) => {
    running = false;
    if (!error) writeFileSync(process.env.BENCH_PROFILE_FILE ?? "bench.cpuprofile", JSON.stringify(result.profile));
  });
});
