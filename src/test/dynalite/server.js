// Starts an in-memory dynalite (argv[2] is the port, 0 for any free one; argv[3] the address,
// 127.0.0.1 by default, 0.0.0.0 for `sam local`'s containers), prints DYNALITE_PORT=<port> once
// listening, and exits when its stdin closes: it never outlives the JVM that started it, even one
// killed with SIGKILL (the kernel closes the JVM's end of the pipe). Run by hand, Ctrl-D or
// Ctrl-C stops it.
const dynalite = require("dynalite");

const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.on("error", (err) => {
  console.error(`dynalite: ${err.message}`);
  process.exit(1);
});
server.listen(Number(process.argv[2] || 0), process.argv[3] || "127.0.0.1", () => {
  process.stdout.write(`DYNALITE_PORT=${server.address().port}\n`);
});
process.stdin.on("end", () => process.exit(0));
process.stdin.on("close", () => process.exit(0));
process.stdin.resume();
