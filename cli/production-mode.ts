// Imported first by cli.ts, before React loads: without NODE_ENV React runs its development build, which
// re-renders the dashboard several times slower (measured with `npm run bench -- --only fleet`). A value
// the user set is kept.
process.env.NODE_ENV ??= 'production';
