// `npm run mock`: the Prism mock's command line.
import { mockCli } from "./mock.js";

process.exitCode = await mockCli(process.argv.slice(2));
