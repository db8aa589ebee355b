// Starts the app. Trunk would inline this in index.html; an external file
// lets the Content-Security-Policy allow only the site's own scripts.
// Trunk.toml's `pattern_script` puts the hashed file names on the tag.
const tag = document.querySelector("script[data-wasm]");
const { default: init } = await import(tag.dataset.js);
await init({ module_or_path: tag.dataset.wasm });

// Offline once loaded: sw.js keeps the site's own files (see its comment).
// Where service workers are unavailable (an insecure origin, a private
// window in some browsers), the site simply needs the network.
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("./sw.js").catch(() => {});
}
