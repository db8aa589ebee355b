// Starts the app. Trunk would inline this in index.html; an external file
// lets the Content-Security-Policy allow only the site's own scripts.
// Trunk.toml's `pattern_script` puts the hashed file names on the tag.
// The reader's theme before the app starts, so a dark choice does not
// flash light while the wasm loads (the key is `theme::STORAGE_KEY`).
try {
  const theme = localStorage.getItem("ackscope.theme");
  if (theme === "light" || theme === "dark") document.documentElement.dataset.theme = theme;
} catch {
  // Storage refused: the system's theme until the app starts.
}

const tag = document.querySelector("script[data-wasm]");
const { default: init } = await import(tag.dataset.js);
await init({ module_or_path: tag.dataset.wasm });

// Offline once loaded: sw.js keeps the site's own files (see its comment).
// Where service workers are unavailable (an insecure origin, a private
// window in some browsers), the site simply needs the network.
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("./sw.js").catch(() => {});
}
