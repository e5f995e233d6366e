// Loaded with `--import` into a process the bench times: at exit, writes the CPU time the
// process used, every thread's (its workers' too), in milliseconds, to the file BENCH_CPU_FILE
// names. A parent sees only a child's wall clock; this is its CPU, the same way for every program.
import { writeFileSync } from "node:fs";
import { isMainThread } from "node:worker_threads";

const file = process.env.BENCH_CPU_FILE;
// Workers load it too (they inherit `--import`); the process's figure is its main thread's to write, last.
if (file && isMainThread) {
  process.once("exit", () => {
    const { user, system } = process.cpuUsage();
    writeFileSync(file, String((user + system) / 1000));
  });
}
