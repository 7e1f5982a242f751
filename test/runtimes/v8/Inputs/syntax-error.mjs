// syntax-error.mjs - A module that does not parse.
export function broken( {
