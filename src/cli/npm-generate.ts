// `npm run generate`: the generator's command line.
import { generateCli } from "./generate.js";

process.exitCode = await generateCli(process.argv.slice(2), "npm run generate");
