// A static single-page app: every route renders in the browser (ssr off in src/routes/+layout.ts) and any
// path the server does not have as a file gets index.html, so deep links such as
// /namespaces/default/workflows/ID/RUN/history load the app, which then routes client-side.
import adapter from '@sveltejs/adapter-static';

export default {
  kit: {
    adapter: adapter({ pages: 'build', assets: 'build', fallback: 'index.html', strict: false }),
    prerender: { entries: [] },
  },
};
