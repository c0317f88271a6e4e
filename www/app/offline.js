// @ts-check
// Offline use: registers the service worker (sw.js, beside index.html), which keeps one build of
// the page for when the network is gone, and says when a build other than this page's is ready.
// Everything here is optional: without service workers (an old browser, a page opened from a
// file or a plain-http address other than localhost) or when registering fails, the page works
// as before, online only, and says nothing.

import { BUILD } from '../pkg/build.js';

/** How often an open page asks the server for a newer build (besides when it is shown again). */
const CHECK_EVERY_MS = 60 * 60 * 1000;
/** How long a first visit waits before copying the build for offline use (bench/first-epoch.mjs: the copy slowed the first epoch by a quarter). */
const FIRST_COPY_AFTER_MS = 4000;

/**
 * Registers the service worker and calls `onNewBuild` once when the build it keeps differs from
 * this page's (the server has a newer one: a reload takes it).
 * @param {() => void} onNewBuild
 */
export function keepForOffline(onNewBuild) {
  const workers = navigator.serviceWorker;
  if (!workers || !/^https?:$/.test(location.protocol)) return;
  let told = false;
  workers.addEventListener('message', (e) => {
    if (told || e.data?.build === undefined || e.data.build === BUILD) return;
    told = true;
    onNewBuild();
  });
  workers.startMessages();
  // asked on start (a newer build may have taken over while this page loaded) and on each change
  const ask = () => workers.controller?.postMessage('build?');
  workers.addEventListener('controllerchange', ask);
  ask();
  // beside index.html, so that its scope covers the page
  const url = new URL('sw.js', document.baseURI);
  const register = () =>
    workers
      .register(url, { updateViaCache: 'none' })
      .then((registration) => {
        const check = () => registration.update().catch(() => {}); // offline: the next check will do
        document.addEventListener('visibilitychange', () => document.visibilityState === 'visible' && check());
        setInterval(check, CHECK_EVERY_MS);
      })
      .catch(() => {}); // no offline copy; the page itself is unaffected
  // a first visit copies the whole build: after the first model and epoch, not competing with them
  if (workers.controller) register();
  else setTimeout(register, FIRST_COPY_AFTER_MS);
}
