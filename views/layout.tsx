/** @jsxImportSource hono/jsx */
// The HTML document around every page. Scripts come from /assets (served by LogWatch from
// node_modules and static/), never inline, so the page runs under `script-src 'self'`.
import type { Child } from 'hono/jsx';

/** htmx settings: no injected indicator stylesheet; a morph keeps <details> open where the user opened it. */
const HTMX_CONFIG = JSON.stringify({ includeIndicatorCSS: false, morphIgnore: ['data-htmx-powered', 'open'] });

export interface AssetUrls {
  css: string;
  js: string;
  htmx: string;
  sse: string;
  icon: string;
}

export function Layout(props: { title: string; assets: AssetUrls; children?: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <meta name="htmx-config" content={HTMX_CONFIG} />
        <title>{props.title}</title>
        <link rel="icon" type="image/svg+xml" href={props.assets.icon} />
        <link rel="stylesheet" href={props.assets.css} />
      </head>
      <body>
        {props.children}
        {/* At the end of <body>, in order: htmx, then its SSE extension, then the page's own behaviour. */}
        <script src={props.assets.htmx} />
        <script src={props.assets.sse} />
        <script src={props.assets.js} />
      </body>
    </html>
  );
}
