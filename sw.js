// The service worker: keeps one build of the page for use without a network. At the top level so
// that its scope is the page's. A classic worker (every browser runs those).
//
// Network first: online, every request goes to the network, so an edit or a new build reaches
// the page on a reload and nothing is ever stale. The cache is only the fallback when the network
// fails, or has not answered within FALLBACK_MS. The cache holds exactly one build: the files
// www/pkg/precache.js lists (written by `cargo xtask build`), each checked against its SRI hash,
// in a cache named by the build's version. Network responses are never written into it.
//
// A new build (precache.js changed: the browser compares imported scripts on each update check)
// installs into a new cache; a failed install (a file edited since the build, storage full, the
// network gone) deletes its half-filled cache and the old version stays. Once installed it takes
// over at once and deletes the older caches; the page (www/app/offline.js) asks its version and
// says a new one is ready if it differs from the page's own.

importScripts('www/pkg/precache.js');

/** @type {{ version: string, files: [string, string][] }} */
const { version, files } = self.PRECACHE;
const PREFIX = 'rnn-playground-';
const CACHE = `${PREFIX}${version}`;
/** A network that has not answered by then is taken as gone, if the cache has the file. */
const FALLBACK_MS = 3000;

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      try {
        // `no-cache`: past the HTTP cache, which may hold an older build's file
        await cache.addAll(files.map(([path, integrity]) => new Request(path, { cache: 'no-cache', integrity })));
      } catch (e) {
        await caches.delete(CACHE); // half a build is no build: the old version stays
        throw e;
      }
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

// the page asks which build the cache holds
self.addEventListener('message', (event) => {
  if (event.data === 'build?') event.source?.postMessage({ build: version });
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(networkFirst(request));
});

/** The network's answer; the cache's when the network fails or is slow; a network error when neither has it. */
async function networkFirst(request) {
  // `no-cache`: revalidated with the server, so a host's caching never mixes in an older file
  const network = fetch(request, { cache: 'no-cache' });
  network.catch(() => {}); // a failure after the cache has answered is no error
  let timer;
  const slow = new Promise((resolve) => {
    timer = setTimeout(resolve, FALLBACK_MS);
  });
  try {
    const first = await Promise.race([network, slow]);
    if (first) return first;
    // slow: the cache's copy if it has one, else keep waiting for the network
    return (await cached(request)) ?? (await network);
  } catch {
    return (await cached(request)) ?? Response.error();
  } finally {
    clearTimeout(timer);
  }
}

/** This build's copy of `request`; a page (a navigation to `/`, `/?x`) is index.html. */
async function cached(request) {
  // caches.match, not caches.open: a cache missing (evicted) is not made again, empty
  const hit = await caches.match(request, { cacheName: CACHE, ignoreSearch: true });
  if (hit || request.mode !== 'navigate') return hit;
  return caches.match('index.html', { cacheName: CACHE });
}
