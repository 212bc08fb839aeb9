// Preloaded (NODE_OPTIONS --require) into the app's Node processes, which spawn processes of
// their own that a parent's death would orphan: each exits as soon as its parent is gone (its
// parent pid changes when the kernel re-parents it), so the whole tree ends with the sandbox.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.kill(process.pid, "SIGKILL");
}, 500).unref();
