// ackscope's service worker: keeps the site's own files so that it works
// offline once loaded. Network first, so every load online gets the latest
// build (Trunk hashes the file names of each build); the cache is the
// fallback, refreshed by every answer. Only the site's origin, only GET.
const CACHE = "ackscope";

// index.html is asked of the server itself, never of the browser's HTTP
// cache: a static host may let the browser keep it for minutes
// (`max-age=600`), which would hold back a new build that long. The
// hashed files it names never change, so they may come from anywhere.
const FRESH = { cache: "no-cache" };

// The files a page of this build needs: index.html and what it names.
async function filesOf(indexResponse) {
  const html = await indexResponse.clone().text();
  const names = [...html.matchAll(/(?:href|src|data-js|data-wasm)="\.\/([^"]+)"/g)].map(
    (m) => new URL(m[1], self.registration.scope).href,
  );
  return [self.registration.scope, ...new Set(names)];
}

// Keeps this build's files and forgets the files of older builds.
async function keepBuild(indexResponse) {
  const cache = await caches.open(CACHE);
  const wanted = await filesOf(indexResponse);
  await cache.put(self.registration.scope, indexResponse.clone());
  await Promise.all(
    wanted.slice(1).map(async (url) => {
      if (!(await cache.match(url))) {
        const response = await fetch(url);
        if (response.ok) await cache.put(url, response);
      }
    }),
  );
  for (const request of await cache.keys()) {
    if (!wanted.includes(request.url)) await cache.delete(request);
  }
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    fetch(self.registration.scope, FRESH).then((r) => (r.ok ? keepBuild(r) : undefined)),
  );
  self.skipWaiting();
});

self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  const page = event.request.mode === "navigate";
  // A page is one entry whatever its fragment or query: the site is one page.
  const key = page ? self.registration.scope : event.request;
  event.respondWith(
    fetch(page ? new Request(event.request, FRESH) : event.request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          event.waitUntil(
            page
              ? keepBuild(copy)
              : caches.open(CACHE).then((cache) => cache.put(event.request, copy)),
          );
        }
        return response;
      })
      .catch(async () => (await caches.match(key)) || Response.error()),
  );
});
