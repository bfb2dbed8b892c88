// The dashboard (DESIGN.md §4): server-rendered with hono/jsx from views/, kept live by htmx 4 over SSE.
// The parts live in ui/: routes, the coalescing live stream, fragments, counters, assets.
export { createUi, UI_CSP, type Ui } from './ui/routes.tsx';
export { DEFAULT_LIVE_OPTIONS, type UiLiveOptions } from './ui/live.ts';
