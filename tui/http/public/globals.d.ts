// The page's globals for its type check (tsconfig.page.json): uPlot comes from the vendored script tag.
declare const uPlot: typeof import('uplot').default;
